#include "doctor/disk_space.h"

#include <sys/statvfs.h>

#include "common/units.h"

namespace kiln::doctor {
namespace {

std::uint64_t free_percent(const DiskSpace& space) {
    return space.total_bytes == 0 ? 0 : space.free_bytes * 100 / space.total_bytes;
}

}  // namespace

std::optional<DiskSpace> disk_space(const std::filesystem::path& path) {
    struct statvfs info {};
    if (::statvfs(path.c_str(), &info) != 0) {
        return std::nullopt;
    }
    return DiskSpace{static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize,
                     static_cast<std::uint64_t>(info.f_blocks) * info.f_frsize};
}

bool disk_low(const DiskSpace& space) {
    return space.free_bytes < kMinFreeBytes || free_percent(space) < kMinFreePercent;
}

std::string describe_space(const DiskSpace& space) {
    return format_size(space.free_bytes) + " free of " + format_size(space.total_bytes) + " (" +
           std::to_string(free_percent(space)) + "%)";
}

}  // namespace kiln::doctor

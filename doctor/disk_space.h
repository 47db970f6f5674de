#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kiln::doctor {

/// Below either, a file system is too full: builds, logs and image layers
/// fail to be written, and kiln waits for space (docs/state.md).
inline constexpr std::uint64_t kMinFreeBytes = 1024ULL * 1024 * 1024;
inline constexpr std::uint64_t kMinFreePercent = 5;

struct DiskSpace {
    std::uint64_t free_bytes = 0;   ///< what an unprivileged user may still write
    std::uint64_t total_bytes = 0;
};

/// The space of the file system holding `path` (statvfs); nothing when it
/// cannot be asked (the path does not exist).
std::optional<DiskSpace> disk_space(const std::filesystem::path& path);

/// True when less than kMinFreeBytes or kMinFreePercent of the file system is free.
bool disk_low(const DiskSpace& space);

/// `59GB free of 252GB (23%)`.
std::string describe_space(const DiskSpace& space);

}  // namespace kiln::doctor

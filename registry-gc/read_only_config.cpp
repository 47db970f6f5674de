#include "registry-gc/read_only_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/posix.h"
#include "config/registry_file.h"

namespace kiln::registry_gc {
namespace {

// write_file_atomic, then the mode and owner `like` had: the registry runs as
// its own user and must still read its config.
void write_like(const std::filesystem::path& path, const std::string& content, const struct stat& like) {
    write_file_atomic(path, content, like.st_mode & 07777);
    check_errno(::chown(path.c_str(), like.st_uid, like.st_gid), "setting the owner of '" + path.string() + "'");
    check_errno(::chmod(path.c_str(), like.st_mode & 07777), "setting the mode of '" + path.string() + "'");
}

struct stat stat_of(const std::filesystem::path& path) {
    struct stat info {};
    check_errno(::stat(path.c_str(), &info), "reading '" + path.string() + "'");
    return info;
}

}  // namespace

std::filesystem::path ReadOnlyConfig::saved_copy(const std::filesystem::path& path) {
    return path.string() + ".kiln-gc-original";
}

bool ReadOnlyConfig::restore_leftover(const std::filesystem::path& path) {
    const std::filesystem::path copy = saved_copy(path);
    std::error_code ec;
    if (!std::filesystem::exists(copy, ec)) {
        return false;
    }
    write_like(path, read_file(copy), stat_of(copy));
    check_errno(::unlink(copy.c_str()), "removing '" + copy.string() + "'");
    return true;
}

ReadOnlyConfig::ReadOnlyConfig(std::filesystem::path path, Restart restart)
    : path_(std::move(path)), restart_(std::move(restart)), original_(read_file(path_)) {
    const struct stat info = stat_of(path_);
    const std::string read_only = config::registry_file_read_only(original_, path_);
    write_like(saved_copy(path_), original_, info);
    try {
        write_like(path_, read_only, info);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(saved_copy(path_), ignored);
        throw;
    }
}

ReadOnlyConfig::~ReadOnlyConfig() {
    if (restored_) {
        return;
    }
    try {
        restore();
    } catch (const std::exception& error) {
        spdlog::error("gc problem=\"putting the registry back: {}\" config={} copy={}", error.what(), path_.string(),
                      saved_copy(path_).string());
    }
}

void ReadOnlyConfig::restore() {
    restored_ = true;
    restore_leftover(path_);
    restart_();
}

}  // namespace kiln::registry_gc

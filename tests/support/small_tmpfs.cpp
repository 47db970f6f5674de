#include "tests/support/small_tmpfs.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

namespace kiln::test {

std::optional<std::string> SmallTmpfs::cannot_mount() {
    if (::geteuid() != 0) {
        return "mounting a small tmpfs to fill needs root (CI runs as root)";
    }
    return std::nullopt;
}

SmallTmpfs::SmallTmpfs(std::filesystem::path dir, std::size_t bytes) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    const std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
        throw std::runtime_error("mounting a tmpfs at '" + dir_.string() + "': " + std::strerror(errno));
    }
}

SmallTmpfs::~SmallTmpfs() { ::umount2(dir_.c_str(), MNT_DETACH); }

void SmallTmpfs::fill() const {
    const int fd = ::open(filler().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::runtime_error("creating '" + filler().string() + "': " + std::strerror(errno));
    }
    const std::vector<char> block(4096, 'x');
    int error = 0;
    // A short write means the last page is taken; the next write says ENOSPC.
    while (error == 0) {
        if (::write(fd, block.data(), block.size()) < 0) {
            error = errno;
        }
    }
    ::close(fd);
    if (error != ENOSPC) {
        throw std::runtime_error("filling '" + filler().string() + "': " + std::strerror(error));
    }
}

void SmallTmpfs::free_space() const { std::filesystem::remove(filler()); }

}  // namespace kiln::test

#include "common/posix.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "common/error.h"

namespace kiln {

std::filesystem::path current_executable() {
    std::error_code error;
    std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        throw StateError(describe("finding the path of this program's binary", error.message()));
    }
    return path;
}

int check_errno(int rc, const std::string& doing) {
    if (rc == -1) {
        throw StateError(describe(doing, std::strerror(errno)));
    }
    return rc;
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

UniqueFd::~UniqueFd() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

}  // namespace kiln

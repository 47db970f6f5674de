#include "common/posix.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "common/error.h"

namespace kiln {

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

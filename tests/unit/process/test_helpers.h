#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <string>

#include "common/posix.h"

namespace kiln::process::test {

struct TestPipe {
    UniqueFd read_end;
    UniqueFd write_end;
};

inline TestPipe make_test_pipe() {
    std::array<int, 2> fds{};
    check_errno(::pipe2(fds.data(), O_CLOEXEC), "creating a test pipe");
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

/// Everything until end of file.
inline std::string read_all(int fd) {
    std::string text;
    std::array<char, 4096> chunk{};
    for (ssize_t n = 0; (n = ::read(fd, chunk.data(), chunk.size())) > 0;) {
        text.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return text;
}

}  // namespace kiln::process::test

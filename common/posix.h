#pragma once

#include <filesystem>
#include <string>
#include <utility>

namespace kiln {

/// Throws StateError("<doing>: <strerror(errno)>") when `rc` is -1; returns `rc`.
/// Every syscall whose failure kiln cannot shrug off goes through here.
int check_errno(int rc, const std::string& doing);

/// The path of the running program's binary (/proc/self/exe). Throws StateError.
std::filesystem::path current_executable();

/// An owned file descriptor, closed on destruction. Move-only.
class UniqueFd {
public:
    UniqueFd() noexcept = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    ~UniqueFd();

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives up ownership and returns the descriptor.
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_ = -1;
};

}  // namespace kiln

#include "process/child.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"

namespace kiln::process {
namespace {

using Clock = std::chrono::steady_clock;

/// Fallback poll interval of wait_until when pidfds are not available.
constexpr std::chrono::milliseconds kPollInterval{10};

/// waitpid restarted on EINTR: the pid, 0 (WNOHANG and still running) or -1
/// with errno set by anything else.
pid_t wait_pid(pid_t pid, int& status, int flags) {
    pid_t rc = 0;
    while ((rc = ::waitpid(pid, &status, flags)) < 0 && errno == EINTR) {
    }
    return rc;
}

[[noreturn]] void throw_wait_error(pid_t pid) {
    throw ProcessError(describe("waiting for process " + std::to_string(pid), std::strerror(errno)));
}

}  // namespace

bool ExitStatus::exited() const { return WIFEXITED(raw_); }
int ExitStatus::code() const { return WEXITSTATUS(raw_); }
bool ExitStatus::signaled() const { return WIFSIGNALED(raw_); }
int ExitStatus::signal() const { return WTERMSIG(raw_); }

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), on_drop_(other.on_drop_), status_(std::exchange(other.status_, {})) {}

Child& Child::operator=(Child&& other) noexcept {
    if (this != &other) {
        drop();
        pid_ = std::exchange(other.pid_, -1);
        on_drop_ = other.on_drop_;
        status_ = std::exchange(other.status_, {});
    }
    return *this;
}

Child::~Child() { drop(); }

void Child::drop() noexcept {
    if (pid_ <= 0 || status_) {
        return;
    }
    if (on_drop_ == OnDrop::kill) {
        ::kill(pid_, SIGKILL);
    }
    int status = 0;
    wait_pid(pid_, status, 0);
    pid_ = -1;
}

ExitStatus Child::wait() {
    if (!status_) {
        int status = 0;
        if (wait_pid(pid_, status, 0) < 0) {
            throw_wait_error(pid_);
        }
        status_ = ExitStatus(status);
    }
    return *status_;
}

std::optional<ExitStatus> Child::try_wait() {
    if (!status_) {
        int status = 0;
        const pid_t rc = wait_pid(pid_, status, WNOHANG);
        if (rc < 0) {
            throw_wait_error(pid_);
        }
        if (rc == pid_) {
            status_ = ExitStatus(status);
        }
    }
    return status_;
}

std::optional<ExitStatus> Child::wait_until(Clock::time_point deadline) {
    if (try_wait()) {
        return status_;
    }
    // A pidfd becomes readable when the child exits, so the wait sleeps until
    // then instead of polling; without one (old kernels) it polls.
    const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
    while (!try_wait()) {
        const auto left = deadline - Clock::now();
        if (left <= Clock::duration::zero()) {
            return std::nullopt;
        }
        // Rounded up, so a wait never ends just before the deadline and spins.
        const auto left_ms = std::chrono::ceil<std::chrono::milliseconds>(left);
        if (pidfd) {
            pollfd entry{pidfd.get(), POLLIN, 0};
            const int wait_ms = static_cast<int>(std::min<std::chrono::milliseconds::rep>(left_ms.count(), 60000));
            if (::poll(&entry, 1, wait_ms) < 0 && errno != EINTR) {
                throw_wait_error(pid_);
            }
        } else {
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(left_ms, kPollInterval));
        }
    }
    return status_;
}

void Child::signal(int signal) const {
    if (pid_ > 0 && !status_) {
        ::kill(pid_, signal);
    }
}

ExitStatus Child::kill() {
    signal(SIGKILL);
    return wait();
}

pid_t Child::release() {
    status_.reset();
    return std::exchange(pid_, -1);
}

ReapedChild try_reap_any() {
    int status = 0;
    const pid_t pid = wait_pid(-1, status, WNOHANG);
    if (pid > 0) {
        return {Reap::reaped, pid, ExitStatus(status)};
    }
    return {pid < 0 && errno == ECHILD ? Reap::no_children : Reap::none_ended, -1, ExitStatus(0)};
}

}  // namespace kiln::process

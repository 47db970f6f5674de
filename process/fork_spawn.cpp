// The two children posix_spawn cannot start (see spawn.h): the only fork()s in
// kiln. Between fork and exec the child makes async-signal-safe calls only,
// since the parent may have threads; everything is built before the fork.

#include "process/spawn.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/error.h"
#include "process/exec_plan.h"

namespace kiln::process {
namespace {

[[noreturn]] void fail(const char* error_prefix) {
    if (error_prefix != nullptr) {
        const char* why = std::strerror(errno);
        [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, error_prefix, std::strlen(error_prefix));
        ignored = ::write(STDERR_FILENO, why, std::strlen(why));
        ignored = ::write(STDERR_FILENO, "\n", 1);
    }
    ::_exit(127);
}

bool apply_redirect(const Redirect& redirect, int target) {
    int fd = -1;
    switch (redirect.kind) {
    case Redirect::Kind::inherit: return true;
    case Redirect::Kind::fd:
        if (redirect.source == target) {
            return ::fcntl(target, F_SETFD, 0) == 0;  // dup2 onto itself would keep O_CLOEXEC
        }
        return ::dup2(redirect.source, target) >= 0;
    case Redirect::Kind::null: fd = ::open("/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY); break;
    case Redirect::Kind::file: fd = ::open(redirect.path.c_str(), redirect.flags, redirect.mode); break;
    }
    if (fd < 0) {
        return false;
    }
    if (fd != target) {
        const bool moved = ::dup2(fd, target) >= 0;
        ::close(fd);
        return moved;
    }
    return true;
}

void close_fds_above_stderr() {
    if (::syscall(SYS_close_range, STDERR_FILENO + 1U, ~0U, 0U) == 0) {
        return;
    }
    const long max_fd = ::sysconf(_SC_OPEN_MAX);
    for (int fd = STDERR_FILENO + 1; fd < (max_fd > 0 ? max_fd : 65536); ++fd) {
        ::close(fd);
    }
}

/// In the forked child: applies `command` and executes it. Its group is left
/// alone when `own_group` is false (the daemon's session is set up already).
[[noreturn]] void exec_child(const Command& command, const ExecPlan& plan, const char* error_prefix, bool own_group) {
    if (own_group && command.group == Group::new_group) {
        ::setpgid(0, 0);
    } else if (own_group && command.group == Group::new_session) {
        ::setsid();
    }
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (const int signal : command.default_signals) {
        ::sigaction(signal, &defaults, nullptr);
    }
    if (command.signal_mask) {
        ::sigprocmask(SIG_SETMASK, &*command.signal_mask, nullptr);
    }
    if (!command.cwd.empty() && ::chdir(command.cwd.c_str()) != 0) {
        fail(error_prefix);
    }
    if (!apply_redirect(command.std_in, STDIN_FILENO) || !apply_redirect(command.std_out, STDOUT_FILENO) ||
        !apply_redirect(command.std_err, STDERR_FILENO)) {
        fail(error_prefix);
    }
    if (command.close_other_fds) {
        close_fds_above_stderr();
    }
    if (command.search_path) {
        ::execvpe(plan.program(), plan.argv(), plan.envp());
    } else {
        ::execve(plan.program(), plan.argv(), plan.envp());
    }
    fail(error_prefix);
}

}  // namespace

void spawn_daemon(const Command& command, const std::string& doing) {
    const ExecPlan plan(command, doing);
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw ProcessError(describe(doing, std::strerror(errno)));
    }
    if (pid == 0) {
        ::setsid();
        if (::fork() != 0) {
            ::_exit(0);  // the session leader exits; the grandchild can never regain a terminal
        }
        exec_child(command, plan, nullptr, false);
    }
    // Reaped on the way out; the daemon, its child, is re-parented to init.
    const Child intermediate(pid, OnDrop::wait);
}

Child HeldChild::release() {
    gate_ = UniqueFd();  // end of file on the gate: the child goes on to exec
    return std::move(child_);
}

HeldChild spawn_held(const Command& command, const std::string& exec_error_prefix, const std::string& doing) {
    const ExecPlan plan(command, doing);
    int gate[2];
    check_errno(::pipe2(gate, O_CLOEXEC), describe(doing, "creating a start pipe"));
    UniqueFd gate_read(gate[0]);
    UniqueFd gate_write(gate[1]);
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw ProcessError(describe(doing, std::strerror(errno)));
    }
    if (pid == 0) {
        ::close(gate_write.get());
        char byte = 0;
        while (::read(gate_read.get(), &byte, 1) < 0 && errno == EINTR) {
        }
        exec_child(command, plan, exec_error_prefix.c_str(), true);
    }
    if (command.group == Group::new_group) {
        ::setpgid(pid, pid);  // both sides set the group, so it exists whichever runs first
    }
    return HeldChild(Child(pid, OnDrop::kill), std::move(gate_write));
}

}  // namespace kiln::process

#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <sys/types.h>

namespace kiln::process {

/// How a child ended: a wait status from waitpid.
class ExitStatus {
public:
    explicit ExitStatus(int raw) : raw_(raw) {}

    bool exited() const;
    /// The exit code; meaningful when exited().
    int code() const;
    bool signaled() const;
    /// The signal that killed it; meaningful when signaled().
    int signal() const;
    /// The wait status itself.
    int raw() const { return raw_; }

private:
    int raw_;
};

/// What a Child's destructor does with a child that has not been waited for.
enum class OnDrop {
    wait,  ///< waits for it to exit (it is expected to end by itself: its input was closed)
    kill,  ///< SIGKILL, then waits for it
};

/// An owning handle on a child process: it is reaped exactly once, by wait(),
/// try_wait(), wait_until() or kill(), or by the destructor per OnDrop.
/// Move-only. Every wait restarts on EINTR.
class Child {
public:
    /// A handle that owns nothing.
    Child() = default;
    Child(pid_t pid, OnDrop on_drop) : pid_(pid), on_drop_(on_drop) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    ~Child();

    /// The child's pid; -1 for a handle that owns nothing.
    pid_t pid() const { return pid_; }
    /// True once the child has been reaped (and its status is known).
    bool reaped() const { return status_.has_value(); }

    /// Blocks until the child exits; its status. Throws ProcessError.
    ExitStatus wait();
    /// Its status when it has exited, without blocking; nothing while it runs.
    /// Throws ProcessError.
    std::optional<ExitStatus> try_wait();
    /// Waits until the child exits or `deadline` passes; nothing at the
    /// deadline. Throws ProcessError.
    std::optional<ExitStatus> wait_until(std::chrono::steady_clock::time_point deadline);
    /// Sends `signal` to the child unless it is already reaped.
    void signal(int signal) const;
    /// SIGKILL, then waits; its status. Throws ProcessError.
    ExitStatus kill();
    /// Gives up ownership (someone else reaps it, e.g. a waitpid(-1) loop);
    /// returns the pid.
    pid_t release();

private:
    void drop() noexcept;

    pid_t pid_ = -1;
    OnDrop on_drop_ = OnDrop::wait;
    std::optional<ExitStatus> status_;
};

/// Outcome of try_reap_any().
enum class Reap {
    reaped,       ///< `pid` ended and is reaped; `status` says how
    none_ended,   ///< children remain, none has ended
    no_children,  ///< this process has no child left
};

struct ReapedChild {
    Reap outcome = Reap::none_ended;
    pid_t pid = -1;
    ExitStatus status{0};
};

/// Reaps one ended child of this process, whichever it is, without blocking:
/// for a child subreaper, whose children include orphans it never started.
ReapedChild try_reap_any();

}  // namespace kiln::process

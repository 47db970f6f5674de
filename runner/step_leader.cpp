#include "runner/step_leader.h"

#include <algorithm>
#include <cerrno>
#include <fstream>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/posix.h"
#include "process/spawn.h"
#include "queue/leader_file.h"

namespace kiln::runner {
namespace {

using Clock = std::chrono::steady_clock;

/// After SIGKILL, how long to keep killing and reaping before giving up on a
/// process the kernel does not let die (uninterruptible sleep).
constexpr std::chrono::seconds kKillWait{10};
/// Longest sleep of the loop: a child's SIGCHLD or a stop request wakes it earlier.
constexpr std::chrono::milliseconds kTick{50};

}  // namespace

sigset_t leader_signals() {
    sigset_t set;
    ::sigemptyset(&set);
    for (const int signal : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
        ::sigaddset(&set, signal);
    }
    return set;
}

namespace {

/// The leader's children now: /proc/self/task/<tid>/children of its one
/// thread. Orphans re-parented to the leader appear here too.
std::vector<pid_t> children() {
    std::ifstream in("/proc/self/task/" + std::to_string(::getpid()) + "/children");
    std::vector<pid_t> pids;
    for (pid_t pid = 0; in >> pid;) {
        pids.push_back(pid);
    }
    return pids;
}

/// The step's processes as the leader sees them: its children, and the main
/// process's group.
class Step {
public:
    explicit Step(pid_t main) : main_(main) {}

    pid_t main() const { return main_; }
    const std::optional<process::ExitStatus>& main_status() const { return main_status_; }

    /// Collects every child that has ended; returns false when the leader has
    /// no child left.
    bool reap(int* leftovers) {
        while (true) {
            const process::ReapedChild child = process::try_reap_any();
            if (child.outcome != process::Reap::reaped) {
                return child.outcome == process::Reap::none_ended;
            }
            if (child.pid == main_) {
                main_status_ = child.status;
            } else if (leftovers != nullptr) {
                ++*leftovers;
            }
        }
    }

    /// Sends `signal` to the step's group and to each child of the leader.
    void signal_all(int signal) {
        // Once the group is empty its id may be given to another process, so
        // it is not signalled again.
        if (group_alive_ && ::kill(-main_, signal) != 0 && errno == ESRCH) {
            group_alive_ = false;
        }
        for (const pid_t pid : children()) {
            ::kill(pid, signal);
        }
    }

private:
    pid_t main_;
    std::optional<process::ExitStatus> main_status_;
    bool group_alive_ = true;
};

/// Gives up the leader's copies of the output pipe: the runner reads until
/// end of file, which must not wait for the leader to write its status and exit.
void release_output() {
    const UniqueFd null(check_errno(::open("/dev/null", O_WRONLY | O_CLOEXEC), "opening /dev/null"));
    check_errno(::dup2(null.get(), STDOUT_FILENO), "releasing the build step's output");
    check_errno(::dup2(null.get(), STDERR_FILENO), "releasing the build step's output");
}

/// Waits up to `wait` for a handled signal; true when it asks the leader to stop.
bool wait_signal(const sigset_t& handled, std::chrono::milliseconds wait) {
    const timespec timeout{static_cast<time_t>(wait.count() / 1000), static_cast<long>(wait.count() % 1000) * 1000000};
    const int signal = ::sigtimedwait(&handled, nullptr, &timeout);
    return signal == SIGTERM || signal == SIGINT || signal == SIGHUP;
}

std::chrono::milliseconds until(Clock::time_point end) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    return std::clamp(left, std::chrono::milliseconds(0), kTick);
}

/// Starts the main process, held before its exec until the leader file
/// names it: a runner that finds the file can then stop everything of the step.
pid_t start_main(const StepLeaderOptions& options) {
    process::Command command;
    command.argv = options.argv;
    command.program = options.program;
    command.env = process::Environment::current();
    command.group = process::Group::new_group;
    sigset_t none;
    ::sigemptyset(&none);
    command.signal_mask = none;
    process::HeldChild main =
        process::spawn_held(command, "kiln: error: starting the build step: ", "starting the build step");
    // Dropped by an exception, the held main process is killed and reaped.
    const std::optional<unsigned long long> start_time = queue::process_start_time(::getpid());
    const std::optional<unsigned long long> main_start_time = queue::process_start_time(main.pid());
    if (!start_time || !main_start_time) {
        throw ProcessError("recording the build step's leader: cannot read /proc/<pid>/stat");
    }
    queue::write_leader_file(options.leader_file, {::getpid(), *start_time, main.pid(), *main_start_time});
    // From here on Step reaps it, with every other child of the leader.
    return main.release().release();
}

/// SIGKILL, generation by generation, until the leader has no child.
void kill_everything(Step& step, const sigset_t& handled, int* leftovers) {
    const auto give_up = Clock::now() + kKillWait;
    while (step.reap(leftovers) && Clock::now() < give_up) {
        step.signal_all(SIGKILL);
        wait_signal(handled, std::chrono::milliseconds(10));
    }
}

}  // namespace

void write_step_status(const std::filesystem::path& path, const StepStatus& status) {
    nlohmann::json value{{"stopped", status.stopped}, {"leftovers", status.leftovers}};
    if (status.exit_code) {
        value["exit_code"] = *status.exit_code;
    }
    if (status.signal) {
        value["signal"] = *status.signal;
    }
    write_file_atomic(path, value.dump() + "\n");
}

std::optional<StepStatus> read_step_status(const std::filesystem::path& path) {
    const std::optional<nlohmann::json> parsed = queue::read_json_file(path);
    if (!parsed) {
        return std::nullopt;
    }
    const nlohmann::json& value = *parsed;
    if (!value.is_object() || !value.contains("stopped") || !value["stopped"].is_boolean() ||
        !value.contains("leftovers") || !value["leftovers"].is_number_integer()) {
        return std::nullopt;
    }
    StepStatus status;
    status.stopped = value["stopped"].get<bool>();
    status.leftovers = value["leftovers"].get<int>();
    if (value.contains("exit_code") && value["exit_code"].is_number_integer()) {
        status.exit_code = value["exit_code"].get<int>();
    }
    if (value.contains("signal") && value["signal"].is_number_integer()) {
        status.signal = value["signal"].get<int>();
    }
    return status;
}

int run_step_leader(const StepLeaderOptions& options) {
    if (options.argv.empty() || options.program.empty()) {
        throw UsageError("leading a build step: no command given");
    }
    const sigset_t handled = leader_signals();
    check_errno(::sigprocmask(SIG_BLOCK, &handled, nullptr), "blocking signals in the build step's leader");
    check_errno(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "becoming the child subreaper of the build step");
    check_errno(::prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0), "asking for a signal when the runner dies");
    // The runner may have died before the death signal was armed.
    if (::getppid() != options.runner) {
        return kExitFailed;
    }

    Step step(start_main(options));
    StepStatus status;
    bool stop_asked = false;
    // Running: wait for the main process or a stop request.
    while (step.reap(nullptr) && !step.main_status() && !stop_asked) {
        stop_asked = wait_signal(handled, kTick);
    }
    status.stopped = !step.main_status();
    int* leftovers = nullptr;
    if (!status.stopped) {
        // Lingering: what the main process left may finish by itself.
        const auto linger_end = Clock::now() + options.linger;
        bool left = true;
        while ((left = step.reap(nullptr)) && !stop_asked && Clock::now() < linger_end) {
            stop_asked = wait_signal(handled, until(linger_end));
        }
        leftovers = left ? &status.leftovers : nullptr;
    }
    // Stopping: SIGTERM, the grace period, then SIGKILL.
    if (step.reap(leftovers)) {
        step.signal_all(SIGTERM);
        const auto grace_end = Clock::now() + options.grace;
        while (step.reap(leftovers) && Clock::now() < grace_end) {
            wait_signal(handled, until(grace_end));
        }
        kill_everything(step, handled, leftovers);
    }

    int exit_code = kExitFailed;
    if (const std::optional<process::ExitStatus> main_status = step.main_status()) {
        if (main_status->exited()) {
            status.exit_code = main_status->code();
            exit_code = *status.exit_code;
        } else if (main_status->signaled()) {
            status.signal = main_status->signal();
            exit_code = 128 + *status.signal;
        }
    }
    release_output();
    write_step_status(options.status_file, status);
    return exit_code;
}

}  // namespace kiln::runner

#include "runner/process.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include "common/error.h"
#include "common/posix.h"
#include "runner/process_tree.h"

namespace kiln::runner {
namespace {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// After SIGKILL, how long to wait for the kernel to finish every process off.
constexpr std::chrono::seconds kKillWait{5};
/// After everything is dead, how long to wait for the pipe's last bytes.
constexpr std::chrono::milliseconds kDrainWait{500};
constexpr std::size_t kReadSize = 64 * 1024;
/// Reads per poll before the loop looks at the clock again, so a flood of
/// output cannot keep a step past its deadline.
constexpr int kReadsPerTick = 16;

std::string new_step_id() {
    std::random_device random;
    std::uniform_int_distribution<unsigned> digit(0, 15);
    std::string id;
    for (int i = 0; i < 24; ++i) {
        id += "0123456789abcdef"[digit(random)];
    }
    return id;
}

std::string find_executable(const std::string& name, const std::map<std::string, std::string>& env,
                            const std::string& doing) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const auto path_entry = env.find("PATH");
    const std::string path = path_entry != env.end() ? path_entry->second : kDefaultPath;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos) {
            end = path.size();
        }
        const std::string dir = end > start ? path.substr(start, end - start) : ".";
        const std::string candidate = dir + "/" + name;
        struct stat info {};
        if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    throw ProcessError(describe(doing, "'" + name + "' not found in PATH (" + path + ")"));
}

/// Runs in the child between fork and exec: only async-signal-safe calls.
/// The runner may block or ignore signals (SIGPIPE, SIGTERM for its own
/// shutdown); a step must start with the defaults or it cannot be stopped.
void child_setup() {
    ::setpgid(0, 0);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (const int signal : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2}) {
        ::sigaction(signal, &defaults, nullptr);
    }
    // Descriptors of the runner that lack O_CLOEXEC (Boost.Process's own, or
    // a concurrent launch's) must not reach make.
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
}

/// Reads what the pipe holds, waiting up to `wait` for the first byte.
/// Returns false at end of file.
bool pump(int fd, std::chrono::milliseconds wait, const RunOptions& options, bool& got_output) {
    pollfd entry{fd, POLLIN, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) {
        throw ProcessError(describe("reading the output of a build step", std::strerror(errno)));
    }
    if (ready <= 0) {
        return true;
    }
    std::array<char, kReadSize> buffer{};
    for (int i = 0; i < kReadsPerTick; ++i) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got > 0) {
            got_output = true;
            if (options.on_output) {
                options.on_output(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
            }
            continue;
        }
        if (got == 0) {
            return false;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return true;
        }
        if (errno != EINTR) {
            throw ProcessError(describe("reading the output of a build step", std::strerror(errno)));
        }
    }
    return true;
}

/// The launched main process, unregistered and, if need be, killed with its
/// whole step on the way out (also when an exception passes).
class LaunchedStep {
public:
    LaunchedStep(bp::child child, std::string step_id)
        : child_(std::move(child)), tree_(child_.id(), std::move(step_id)) {}
    LaunchedStep(const LaunchedStep&) = delete;
    LaunchedStep& operator=(const LaunchedStep&) = delete;

    ~LaunchedStep() {
        if (finished_) {
            return;
        }
        try {
            kill_everything();
        } catch (const std::exception&) {
            // Destructors must not throw; the orphan reaper collects what is left.
        }
    }

    StepTree& tree() { return tree_; }
    bool main_done() const { return done_; }
    int status() const { return status_; }

    /// Collects the main process's status when it has ended. Throws ProcessError.
    bool poll_main() {
        if (done_) {
            return true;
        }
        std::error_code error;
        if (child_.running(error)) {
            return false;
        }
        if (error) {
            throw ProcessError(describe("waiting for a build step", error.message()));
        }
        status_ = child_.native_exit_code();
        if (!WIFEXITED(status_) && !WIFSIGNALED(status_)) {
            throw ProcessError(describe("waiting for a build step", "its exit status was collected elsewhere"));
        }
        finish_main();
        return true;
    }

    /// SIGKILL to every process of the step until none is left, then reaps.
    void kill_everything() {
        const auto give_up = Clock::now() + kKillWait;
        while (true) {
            poll_main();
            const std::vector<ProcEntry> processes = tree_.processes();
            if (processes.empty() && done_) {
                finished_ = true;
                return;
            }
            tree_.signal_each(processes, SIGKILL);
            tree_.reap(processes);
            if (Clock::now() >= give_up) {
                if (!done_) {
                    child_.wait();
                    status_ = child_.native_exit_code();
                    finish_main();
                }
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

private:
    void finish_main() {
        done_ = true;
        tree_.main_reaped();
        const std::lock_guard lock(live_steps().mutex);
        live_steps().mains.erase(child_.id());
    }

    bp::child child_;
    StepTree tree_;
    bool done_ = false;
    bool finished_ = false;  ///< kill_everything found nothing left
    int status_ = 0;
};

std::unique_ptr<LaunchedStep> launch(const ProcessSpec& spec, const std::string& step_id, UniqueFd output_sink) {
    const std::string doing = "running " + spec.argv.front();
    const std::string exe = find_executable(spec.argv.front(), spec.env, doing);
    struct stat info {};
    if (::stat(spec.cwd.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        throw ProcessError(describe(doing, "working directory '" + spec.cwd.string() + "' does not exist"));
    }
    bp::environment env;
    for (const auto& [key, value] : spec.env) {
        env[key] = value;
    }
    env[kStepIdVariable] = step_id;
    const std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
    // Boost.Process closes the sink in the parent once the child has it.
    bp::pipe output(-1, output_sink.release());

    const std::lock_guard lock(live_steps().mutex);
    std::error_code error;
    bp::child child(bp::exe = exe, bp::args = args, env, bp::start_dir = spec.cwd.string(), bp::std_in < bp::null,
                    (bp::std_out & bp::std_err) > output,
                    bp::extend::on_exec_setup = [](auto&) { child_setup(); }, error);
    if (error) {
        throw ProcessError(describe(doing, "starting '" + exe + "': " + error.message()));
    }
    live_steps().mains.insert(child.id());
    return std::make_unique<LaunchedStep>(std::move(child), step_id);
}

}  // namespace

void become_subreaper() {
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        throw ProcessError(describe("becoming the child subreaper of build processes", std::strerror(errno)));
    }
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    if (::sigaction(SIGCHLD, &defaults, nullptr) != 0) {
        throw ProcessError(describe("restoring the default SIGCHLD action", std::strerror(errno)));
    }
}

int reap_orphans() {
    const pid_t self = ::getpid();
    const pid_t own_group = ::getpgrp();
    const std::vector<ProcEntry> processes = list_processes();
    const std::lock_guard lock(live_steps().mutex);
    int reaped = 0;
    for (const ProcEntry& process : processes) {
        if (process.zombie() && process.ppid == self && process.pgrp != own_group &&
            live_steps().mains.count(process.pid) == 0 && ::waitpid(process.pid, nullptr, WNOHANG) == process.pid) {
            ++reaped;
        }
    }
    return reaped;
}

ProcessResult run_process(const ProcessSpec& spec, const RunOptions& options) {
    if (spec.argv.empty()) {
        throw ProcessError("running a build step: no command given");
    }
    const auto start = Clock::now();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw ProcessError(describe("running " + spec.argv.front(), std::string("creating a pipe: ") + std::strerror(errno)));
    }
    const UniqueFd output(fds[0]);
    UniqueFd output_sink(fds[1]);
    check_errno(::fcntl(output.get(), F_SETFL, O_NONBLOCK), "making a pipe non-blocking");
    const std::unique_ptr<LaunchedStep> step = launch(spec, new_step_id(), std::move(output_sink));

    ProcessResult result;
    std::optional<Ending> stopped_by;
    bool stopping = false;
    bool pipe_open = true;
    bool quiet_pending = false;
    Clock::time_point stop_started;
    Clock::time_point main_done_at;
    Clock::time_point last_output;

    while (true) {
        bool got_output = false;
        if (pipe_open) {
            pipe_open = pump(output.get(), options.tick, options, got_output);
        } else {
            // The pipe usually reaches end of file a moment before the main
            // process can be reaped: look again soon.
            std::this_thread::sleep_for(std::min(options.tick, std::chrono::milliseconds(10)));
        }
        const auto now = Clock::now();
        if (got_output) {
            last_output = now;
            quiet_pending = true;
        } else if (quiet_pending && now - last_output >= options.quiet_after) {
            quiet_pending = false;
            if (options.on_quiet) {
                options.on_quiet();
            }
        }
        const bool was_done = step->main_done();
        if (step->poll_main() && !was_done) {
            main_done_at = now;
        }

        if (!stopping && !step->main_done()) {
            if (options.cancel_requested && options.cancel_requested()) {
                stopped_by = Ending::cancelled;
            } else if (now >= options.deadline) {
                stopped_by = Ending::timed_out;
            }
            if (stopped_by) {
                stopping = true;
                stop_started = now;
                step->tree().signal_group(SIGTERM);
            }
        } else if (!stopping && (!pipe_open || now - main_done_at >= options.linger)) {
            // The main process is gone; whatever of the step still runs is left over.
            const std::vector<ProcEntry> processes = step->tree().processes();
            result.leftovers = StepTree::count_alive(processes);
            if (result.leftovers == 0) {
                break;
            }
            stopping = true;
            stop_started = now;
            step->tree().signal_group(SIGTERM);
            step->tree().signal_each(processes, SIGTERM);
        } else if (stopping) {
            if (step->main_done() && StepTree::count_alive(step->tree().processes()) == 0) {
                break;
            }
            if (now - stop_started >= options.grace) {
                break;
            }
        }
    }
    step->kill_everything();

    const auto drain_until = Clock::now() + kDrainWait;
    while (pipe_open && Clock::now() < drain_until) {
        bool got_output = false;
        pipe_open = pump(output.get(), std::chrono::milliseconds(50), options, got_output);
    }

    const int status = step->status();
    result.ending = stopped_by.value_or(WIFSIGNALED(status) ? Ending::signaled : Ending::exited);
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    result.elapsed = Clock::now() - start;
    return result;
}

std::string describe_ending(const ProcessResult& result) {
    switch (result.ending) {
    case Ending::timed_out: return "timed out";
    case Ending::cancelled: return "cancelled";
    case Ending::exited: return "exited " + std::to_string(result.exit_code.value_or(-1));
    case Ending::signaled: break;
    }
    const int signal = result.signal.value_or(0);
    const char* name = ::sigabbrev_np(signal);
    return "killed by signal " + std::to_string(signal) + (name != nullptr ? std::string(" (SIG") + name + ")" : "");
}

}  // namespace kiln::runner

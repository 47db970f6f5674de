#include "runner/process.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <dirent.h>
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

/// Main processes of running steps, not yet reaped. Boost.Process reaps them
/// (waitpid on their pid); the orphan reaper must leave them alone, and a
/// launch holds the lock so that a child dying at once cannot be reaped before
/// it is registered.
struct LiveSteps {
    std::mutex mutex;
    std::set<pid_t> mains;
};

LiveSteps& live_steps() {
    static LiveSteps steps;
    return steps;
}

struct ProcEntry {
    pid_t pid = 0;
    pid_t ppid = 0;
    pid_t pgrp = 0;
    char state = '?';
    unsigned long long start_time = 0;  ///< clock ticks after boot: with pid, names a process for good
    bool zombie() const { return state == 'Z' || state == 'X'; }
};

/// Reads a small /proc file; empty when the process is gone or unreadable.
std::string read_proc_file(const std::string& path, std::size_t limit) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return {};
    }
    std::string content;
    std::array<char, 4096> buffer{};
    while (content.size() < limit) {
        const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        content.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return content;
}

/// `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
std::optional<ProcEntry> read_stat(pid_t pid) {
    const std::string stat = read_proc_file("/proc/" + std::to_string(pid) + "/stat", 1024);
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) {
        return std::nullopt;
    }
    ProcEntry entry;
    entry.pid = pid;
    int ppid = 0;
    int pgrp = 0;
    // Fields 3 to 22 of proc(5): state ppid pgrp ... starttime.
    if (std::sscanf(stat.c_str() + close + 2,
                    "%c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &entry.state,
                    &ppid, &pgrp, &entry.start_time) != 4) {
        return std::nullopt;
    }
    entry.ppid = ppid;
    entry.pgrp = pgrp;
    return entry;
}

std::vector<ProcEntry> list_processes() {
    std::vector<ProcEntry> processes;
    const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    if (!proc) {
        throw ProcessError(describe("listing processes in /proc", std::strerror(errno)));
    }
    while (const dirent* entry = ::readdir(proc.get())) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (pid <= 0 || *end != '\0') {
            continue;
        }
        if (const auto stat = read_stat(static_cast<pid_t>(pid))) {
            processes.push_back(*stat);
        }
    }
    return processes;
}

bool has_step_id(pid_t pid, const std::string& marker) {
    const std::string environ = '\0' + read_proc_file("/proc/" + std::to_string(pid) + "/environ", 1 << 20);
    return environ.find(marker) != std::string::npos;
}

/// One launched step: finds, signals and reaps its processes.
class StepTree {
public:
    StepTree(pid_t main_pid, std::string step_id)
        : main_(main_pid), marker_(std::string(1, '\0') + kStepIdVariable + "=" + step_id + '\0') {}

    void main_reaped() { main_alive_ = false; }

    /// Every process of the step, zombies included.
    std::vector<ProcEntry> processes() {
        const std::vector<ProcEntry> all = list_processes();
        const pid_t self = ::getpid();
        std::set<pid_t> members;
        for (const ProcEntry& process : all) {
            if (process.pid == self) {
                continue;
            }
            const auto known = known_.find(process.pid);
            const bool seed = (known != known_.end() && known->second == process.start_time) ||
                              (main_alive_ && process.pid == main_) || process.pgrp == main_ ||
                              (!process.zombie() && has_step_id(process.pid, marker_));
            if (seed) {
                members.insert(process.pid);
            }
        }
        // Descendants of members are members: a child that left the group
        // with a fresh environment is still found through its parent.
        for (bool grew = true; grew;) {
            grew = false;
            for (const ProcEntry& process : all) {
                if (process.pid != self && members.count(process.ppid) != 0 && members.insert(process.pid).second) {
                    grew = true;
                }
            }
        }
        // A member stays one: a zombie has no environment left, and one
        // re-parented to us no longer shows its group's ancestry.
        known_.clear();
        std::vector<ProcEntry> result;
        for (const ProcEntry& process : all) {
            if (members.count(process.pid) != 0) {
                result.push_back(process);
                known_.emplace(process.pid, process.start_time);
            }
        }
        return result;
    }

    static int count_alive(const std::vector<ProcEntry>& processes) {
        return static_cast<int>(std::count_if(processes.begin(), processes.end(),
                                              [](const ProcEntry& p) { return !p.zombie(); }));
    }

    void signal_group(int signal) const { ::kill(-main_, signal); }

    void signal_each(const std::vector<ProcEntry>& processes, int signal) const {
        for (const ProcEntry& process : processes) {
            if (!process.zombie()) {
                ::kill(process.pid, signal);
            }
        }
    }

    /// Reaps the zombies among `processes` that are our children (orphans
    /// re-parented to the subreaper), but never the main process: Boost.Process
    /// reaps that one and needs its status.
    void reap(const std::vector<ProcEntry>& processes) const {
        const pid_t self = ::getpid();
        const std::lock_guard lock(live_steps().mutex);
        for (const ProcEntry& process : processes) {
            if (process.zombie() && process.ppid == self && process.pid != main_ &&
                live_steps().mains.count(process.pid) == 0) {
                ::waitpid(process.pid, nullptr, WNOHANG);
            }
        }
    }

private:
    pid_t main_;
    bool main_alive_ = true;
    std::map<pid_t, unsigned long long> known_;  ///< members seen by the last scan, with start times
    std::string marker_;  ///< `\0KILN_STEP_ID=<id>\0`, as it appears in /proc/<pid>/environ
};

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

#include "runner/process.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"
#include "process/executable_search.h"
#include "process/spawn.h"
#include "queue/leader_file.h"
#include "runner/step_leader.h"

namespace kiln::runner {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Beyond the grace period, how long a leader told to stop may take (its own
/// SIGKILL rounds) before the runner kills it.
constexpr std::chrono::seconds kLeaderWait{15};
/// After everything is dead, how long to wait for the pipe's last bytes.
constexpr std::chrono::milliseconds kDrainWait{500};
constexpr std::size_t kReadSize = 64 * 1024;
/// Reads per poll before the loop looks at the clock again, so a flood of
/// output cannot keep a step past its deadline.
constexpr int kReadsPerTick = 16;

std::string find_executable(const std::string& name, const std::map<std::string, std::string>& env,
                            const std::string& doing) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const auto path_entry = env.find("PATH");
    const std::string path = path_entry != env.end() ? path_entry->second : kDefaultPath;
    if (std::optional<std::string> found = process::search_path(name, path)) {
        return *found;
    }
    throw ProcessError(describe(doing, "'" + name + "' not found in PATH (" + path + ")"));
}

/// The runner may block or ignore signals (SIGPIPE, SIGTERM for its own
/// shutdown); the leader must start with the default actions, and with
/// exactly the signals it reads blocked: a stop sent before it is ready then
/// waits for it (the step itself gets an empty mask from the leader).
const std::vector<int> kLeaderDefaultSignals{SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2};

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

/// A private folder for the leader's status file (and its leader file when
/// the caller names none), removed with what it holds.
class StepFiles {
public:
    StepFiles(const std::filesystem::path& leader_file, const std::string& doing) {
        std::string pattern = (std::filesystem::temp_directory_path() / "kiln-step-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw ProcessError(describe(doing, std::string("creating a temporary folder: ") + std::strerror(errno)));
        }
        dir_ = pattern;
        leader_ = leader_file.empty() ? dir_ / "leader" : leader_file;
    }
    StepFiles(const StepFiles&) = delete;
    StepFiles& operator=(const StepFiles&) = delete;
    ~StepFiles() {
        std::error_code ignored;
        std::filesystem::remove(leader_, ignored);
        std::filesystem::remove_all(dir_, ignored);
    }

    std::filesystem::path status() const { return dir_ / "status"; }
    const std::filesystem::path& leader() const { return leader_; }

private:
    std::filesystem::path dir_;
    std::filesystem::path leader_;
};

/// The running leader. On the way out (also when an exception passes) a
/// leader still running is told to stop and waited for; one that cannot be
/// is killed, and so is the step's group it recorded.
class LaunchedLeader {
public:
    LaunchedLeader(process::Child child, const StepFiles& files, std::chrono::milliseconds grace)
        : child_(std::move(child)), files_(files), grace_(grace) {}
    LaunchedLeader(const LaunchedLeader&) = delete;
    LaunchedLeader& operator=(const LaunchedLeader&) = delete;

    ~LaunchedLeader() {
        if (child_.reaped()) {
            return;
        }
        try {
            stop();
            child_.wait_until(Clock::now() + grace_ + kLeaderWait);
            kill_leftovers();
        } catch (const std::exception&) {
            // Destructors must not throw; kill_leftovers did what it could.
        }
    }

    /// Asks the leader to stop the step (SIGTERM, then SIGKILL after the grace).
    void stop() const { child_.signal(SIGTERM); }

    /// True once the leader has exited (and is reaped). Throws ProcessError.
    bool poll() { return child_.try_wait().has_value(); }

    /// SIGKILL to the leader, and to the step's group it recorded: for a
    /// leader that did not end when told to, or ended without a status. Waits
    /// for the leader.
    void kill_leftovers() {
        if (!child_.reaped()) {
            child_.kill();
        }
        if (const std::optional<queue::LeaderRecord> record = queue::read_leader_file(files_.leader())) {
            kill_step_group(*record);
        }
    }

    /// `exited 2`, `killed by signal 9`: how the leader itself ended.
    std::string ending() {
        const process::ExitStatus status = child_.wait();
        return status.signaled() ? "killed by signal " + std::to_string(status.signal())
                                 : "exited " + std::to_string(status.code());
    }

private:
    process::Child child_;
    const StepFiles& files_;
    std::chrono::milliseconds grace_;
};

std::vector<std::string> leader_args(const ProcessSpec& spec, const RunOptions& options, const StepFiles& files,
                                     const std::string& exe) {
    std::vector<std::string> args{kLeaderCommand,
                                  "--status",
                                  files.status().string(),
                                  "--leader-file",
                                  files.leader().string(),
                                  "--runner-pid",
                                  std::to_string(::getpid()),
                                  "--grace-ms",
                                  std::to_string(options.grace.count()),
                                  "--linger-ms",
                                  std::to_string(options.linger.count()),
                                  "--program",
                                  spec.wrapper.empty() ? exe : spec.wrapper.front(),
                                  "--"};
    if (spec.wrapper.empty()) {
        args.insert(args.end(), spec.argv.begin(), spec.argv.end());
        return args;
    }
    // The wrapper executes the program by the path found here, in the
    // runner's lookup, so a missing one fails as it does without a wrapper.
    args.insert(args.end(), spec.wrapper.begin(), spec.wrapper.end());
    args.push_back(exe);
    args.insert(args.end(), spec.argv.begin() + 1, spec.argv.end());
    return args;
}

/// Starts the leader with stdout and stderr on `output_sink`, which the caller
/// closes once it has (so that only the leader's copies keep the pipe open).
std::unique_ptr<LaunchedLeader> launch(const ProcessSpec& spec, const RunOptions& options, const StepFiles& files,
                                       const UniqueFd& output_sink) {
    const std::string doing = "running " + spec.argv.front();
    const std::string exe = find_executable(spec.argv.front(), spec.env, doing);
    struct stat info {};
    if (::stat(spec.cwd.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        throw ProcessError(describe(doing, "working directory '" + spec.cwd.string() + "' does not exist"));
    }
    const std::filesystem::path leader = options.leader_program.empty() ? current_executable() : options.leader_program;
    process::Command command;
    command.argv = leader_args(spec, options, files, exe);
    command.argv.insert(command.argv.begin(), leader.string());
    for (const auto& [key, value] : spec.env) {
        command.env.set(key, value);
    }
    command.cwd = spec.cwd;
    command.std_in = process::Redirect::null();
    command.std_out = process::Redirect::fd(output_sink.get());
    command.std_err = command.std_out;
    // The leader's own group keeps a Ctrl-C meant for `kiln runner` from reaching it.
    command.group = process::Group::new_group;
    command.signal_mask = leader_signals();
    command.default_signals = kLeaderDefaultSignals;
    // Descriptors of the runner that lack O_CLOEXEC (a concurrent launch's)
    // must not reach the leader or make.
    command.close_other_fds = true;
    // The leader's death signal fires when the thread that spawns it exits
    // (PR_SET_PDEATHSIG follows the thread, not the process): the runner runs
    // every step of a build from that build's own thread, which lives until
    // the build ends, so only the runner's death ends a step early.
    process::Child child = process::spawn(command, process::OnDrop::kill,
                                          describe(doing, "starting its leader '" + leader.string() + "'"));
    return std::make_unique<LaunchedLeader>(std::move(child), files, options.grace);
}

}  // namespace

ProcessResult run_process(const ProcessSpec& spec, const RunOptions& options) {
    if (spec.argv.empty()) {
        throw ProcessError("running a build step: no command given");
    }
    const std::string doing = "running " + spec.argv.front();
    const auto start = Clock::now();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw ProcessError(describe(doing, std::string("creating a pipe: ") + std::strerror(errno)));
    }
    const UniqueFd output(fds[0]);
    UniqueFd output_sink(fds[1]);
    check_errno(::fcntl(output.get(), F_SETFL, O_NONBLOCK), "making a pipe non-blocking");
    const StepFiles files(options.leader_file, doing);
    const std::unique_ptr<LaunchedLeader> leader = launch(spec, options, files, output_sink);
    output_sink = UniqueFd();

    std::optional<Ending> stopped_by;
    Clock::time_point stop_sent;
    bool pipe_open = true;
    bool quiet_pending = false;
    Clock::time_point last_output;
    while (true) {
        bool got_output = false;
        if (pipe_open) {
            pipe_open = pump(output.get(), options.tick, options, got_output);
        } else {
            // The leader holds the pipe until it exits: look again soon.
            std::this_thread::sleep_for(std::min(options.tick, std::chrono::milliseconds(10)));
        }
        const auto now = Clock::now();
        if (got_output) {
            last_output = now;
            quiet_pending = true;
        } else if (pipe_open && quiet_pending && now - last_output >= options.quiet_after) {
            quiet_pending = false;
            if (options.on_quiet) {
                options.on_quiet();
            }
        }
        if (leader->poll()) {
            break;
        }
        if (!stopped_by) {
            if (options.cancel_requested && options.cancel_requested()) {
                stopped_by = Ending::cancelled;
            } else if (now >= options.deadline) {
                stopped_by = Ending::timed_out;
            }
            if (stopped_by) {
                stop_sent = now;
                leader->stop();
            }
        } else if (now - stop_sent >= options.grace + kLeaderWait) {
            break;  // a leader that does not stop is killed below
        }
    }
    std::optional<StepStatus> status = read_step_status(files.status());
    if (!status) {
        leader->kill_leftovers();
    }
    const auto drain_until = Clock::now() + kDrainWait;
    while (pipe_open && Clock::now() < drain_until) {
        bool got_output = false;
        pipe_open = pump(output.get(), std::chrono::milliseconds(50), options, got_output);
    }
    if (!status) {
        throw ProcessError(describe(doing, "its leader ended without saying how (" + leader->ending() + ")"));
    }

    ProcessResult result;
    result.exit_code = status->exit_code;
    result.signal = status->signal;
    result.leftovers = status->leftovers;
    result.ending = stopped_by && status->stopped ? *stopped_by : status->signal ? Ending::signaled : Ending::exited;
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

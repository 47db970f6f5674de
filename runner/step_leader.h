#pragma once

// The leader of one build step (`kiln build-leader`, started by run_process in
// runner/process.cpp): a small single-threaded process between the runner and
// make that owns every process of the step.
//
// It makes itself the child subreaper of the step alone, so every orphan of
// the step (`sleep &`, `setsid`, a double fork, `env -i`: nothing escapes
// re-parenting) comes back to it, and `waitpid` on its own children is all it
// needs to find them. It asks for SIGTERM when its parent thread dies
// (PR_SET_PDEATHSIG), so a runner that is killed takes its steps with it. When
// the step's main process has exited, or a SIGTERM/SIGINT/SIGHUP asks it to
// stop, it stops the rest (see run_step_leader), writes how the step ended to
// the status file and exits.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/types.h>

namespace kiln::runner {

/// The signals the leader reads with sigtimedwait (SIGTERM, SIGINT, SIGHUP,
/// SIGCHLD). Whoever starts a leader blocks them before the exec, so a stop
/// sent while the leader is still starting waits for it instead of killing it.
sigset_t leader_signals();

/// The name of the hidden subcommand that runs run_step_leader.
inline constexpr const char* kLeaderCommand = "build-leader";

struct StepLeaderOptions {
    /// Where the step's ending goes (write_step_status), atomically, at the end.
    std::filesystem::path status_file;
    /// Where the leader's pid, start time and the step's process group go
    /// (queue/leader_file.h), atomically, before the step's program runs.
    std::filesystem::path leader_file;
    /// The process that started the leader: when getppid() is no longer this
    /// one once the death signal is armed, the runner is already gone and the
    /// step does not start.
    pid_t runner = 0;
    /// Between SIGTERM and SIGKILL.
    std::chrono::milliseconds grace{10000};
    /// How long processes the main process left behind may run on by
    /// themselves (a background job finishing its output) before they are stopped.
    std::chrono::milliseconds linger{1000};
    /// The program to execute, a path (the runner has looked it up in PATH).
    std::string program;
    /// Its argv, argv[0] included. It inherits the leader's environment, working
    /// directory, stdin and stdout/stderr.
    std::vector<std::string> argv;
};

/// How a step ended, as the leader reports it.
struct StepStatus {
    std::optional<int> exit_code;  ///< when the main process exited
    std::optional<int> signal;     ///< when the main process was killed by a signal
    /// A stop was asked while the main process still ran.
    bool stopped = false;
    /// Processes that were still alive after the main process had exited by
    /// itself and `linger` had passed, and were stopped.
    int leftovers = 0;
};

/// Writes `status` to `path` atomically (JSON). Throws StateError.
void write_step_status(const std::filesystem::path& path, const StepStatus& status);

/// The status in `path`; nothing when it is missing or not one.
std::optional<StepStatus> read_step_status(const std::filesystem::path& path);

/// Runs the step of `options` to its end; returns the exit code of the leader:
/// the main process's exit code, 128 + its signal when it was killed by one, 2
/// when the step did not start because the runner was gone. In order:
///  - blocks SIGTERM, SIGINT, SIGHUP and SIGCHLD (they are read with
///    sigtimedwait, so none is lost), becomes the child subreaper, arms
///    PR_SET_PDEATHSIG with SIGTERM and checks getppid();
///  - forks the main process (process::spawn_held) into a process group of
///    its own; it waits until the leader file is written, then executes the
///    program with an empty signal mask;
///  - when the main process has exited: waits up to `linger` for what is left
///    to end by itself; then, or at once when a stop was asked: SIGTERM to the
///    step's group and to each of the leader's children, up to `grace` for all
///    to end, then SIGKILL to the group and to each child, generation by
///    generation (a killed process's children come back to the leader), until
///    the leader has no child left;
///  - points its stdout and stderr (the runner's output pipe) at /dev/null, so
///    the runner sees the end of the output as soon as the step is gone;
///  - writes the status file.
/// Throws ProcessError or StateError when the step cannot be started or its
/// files written; the step's processes are killed first.
int run_step_leader(const StepLeaderOptions& options);

}  // namespace kiln::runner

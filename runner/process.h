#pragma once

// Running one build step (make) so that nothing of it outlives the step.
// The only place that includes Boost.Process.
//
// Each step runs in a process group of its own (setpgid in the child), with
// stdin on /dev/null, stdout and stderr merged into one pipe that the runner
// reads, and an environment given in full. The runner is the child subreaper
// of everything it starts, so a step's orphans (`sleep 1000 &`) are
// re-parented to the runner rather than to init and stay findable. A step's
// processes are: the main process and its descendants, every process in its
// process group, and every process whose environment carries the step's
// KILN_STEP_ID (which survives setsid and double forks), plus their
// descendants.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::runner {

/// Makes this process the child subreaper of its descendants
/// (PR_SET_CHILD_SUBREAPER) and makes sure SIGCHLD is not ignored, so exit
/// statuses can be collected. Call once when the runner starts (and in tests),
/// before any step runs. Throws ProcessError.
void become_subreaper();

/// Reaps zombie children that no running step waits for: orphans of earlier
/// steps that ended on their own after being re-parented to us. Returns how
/// many. Children of this process not started by run_process must stay in its
/// process group, or this may collect their status.
int reap_orphans();

/// The name of the variable that marks a step's processes (see above).
inline constexpr const char* kStepIdVariable = "KILN_STEP_ID";

/// What to run.
struct ProcessSpec {
    /// argv[0] is looked up in the PATH of `env` unless it contains a `/`.
    std::vector<std::string> argv;
    std::filesystem::path cwd;
    /// The whole environment of the process (plus KILN_STEP_ID); nothing is
    /// inherited from the runner.
    std::map<std::string, std::string> env;
};

/// When to stop a step, and where its output goes.
struct RunOptions {
    /// The step is stopped (ending timed_out) when it runs past this.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    /// Polled every `tick`; true stops the step (ending cancelled).
    std::function<bool()> cancel_requested;
    /// How long processes get between SIGTERM (to the group) and SIGKILL (to
    /// every process of the step).
    std::chrono::milliseconds grace{10000};
    /// How long the step's output pipe may stay open after the main process
    /// exited (a background job still writing) before the rest is stopped.
    std::chrono::milliseconds linger{1000};
    /// Poll interval for the deadline, the cancel flag and the main process.
    std::chrono::milliseconds tick{100};
    /// After output, how long a pause before on_quiet is called.
    std::chrono::milliseconds quiet_after{200};
    /// Receives every chunk read from the merged stdout+stderr pipe.
    std::function<void(std::string_view chunk)> on_output;
    /// Called once per pause in the output (see quiet_after).
    std::function<void()> on_quiet;
};

enum class Ending {
    exited,     ///< the main process exited by itself: exit_code
    signaled,   ///< the main process was killed by a signal we did not send: signal
    timed_out,  ///< stopped at the deadline
    cancelled,  ///< stopped because cancel_requested() said so
};

struct ProcessResult {
    Ending ending = Ending::exited;
    std::optional<int> exit_code;  ///< when the main process exited
    std::optional<int> signal;     ///< when the main process was killed by a signal
    /// Processes of the step that were still alive after the main process
    /// ended and were stopped (SIGTERM, then SIGKILL after the grace period).
    int leftovers = 0;
    std::chrono::steady_clock::duration elapsed{};
};

/// Runs `spec` to its end and returns how it ended. When it returns, no
/// process of the step is left and their zombies are reaped. A timeout or a
/// cancel sends SIGTERM to the step's process group, then SIGKILL to every
/// process of the step after `grace`. Throws ProcessError when the process
/// cannot be started (`running make: 'make' not found in PATH (...)`); on any
/// exception the step's processes are killed first.
ProcessResult run_process(const ProcessSpec& spec, const RunOptions& options);

/// `exited 2`, `killed by signal 9 (SIGKILL)`, `timed out`, `cancelled`.
std::string describe_ending(const ProcessResult& result);

}  // namespace kiln::runner

#pragma once

// Running one build step (make) so that nothing of it outlives the step.
//
// Each step runs under a leader of its own: this program re-executed as
// `kiln build-leader` (runner/step_leader.h), started with process::spawn
// (process/spawn.h) in a process group of its own, with stdin on /dev/null,
// stdout and stderr merged into one pipe that the runner reads, and the
// step's environment given in full. The leader is the child subreaper of the step alone, so
// every orphan (`sleep 1000 &`, `setsid`, a double fork, `env -i`) is
// re-parented to it, and it kills every process it reaped when the step ends
// or when it is told to stop; it gets SIGTERM when the runner dies
// (PR_SET_PDEATHSIG). The runner only watches the leader: it signals it at a
// timeout or cancel and reads how the step ended from its status file.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::runner {

/// What to run.
struct ProcessSpec {
    /// argv[0] is looked up in the PATH of `env` unless it contains a `/`.
    std::vector<std::string> argv;
    std::filesystem::path cwd;
    /// The whole environment of the process; nothing is inherited from the
    /// runner.
    std::map<std::string, std::string> env;
    /// What the program runs under, inside the leader (the build's sandbox,
    /// runner/sandbox.h): these words, an absolute program first, then the
    /// program by its full path and its arguments. Empty: the program itself.
    std::vector<std::string> wrapper;
};

/// When to stop a step, and where its output goes.
struct RunOptions {
    /// The step is stopped (ending timed_out) when it runs past this.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    /// Polled every `tick`; true stops the step (ending cancelled).
    std::function<bool()> cancel_requested;
    /// How long processes get between SIGTERM (to the step's group and to
    /// each of the leader's children) and SIGKILL (to every process of the step).
    std::chrono::milliseconds grace{10000};
    /// How long processes the main process left may run on by themselves (a
    /// background job still writing) before they are stopped.
    std::chrono::milliseconds linger{1000};
    /// Where the leader records its pid, start time and the step's process
    /// group before the step runs (builds/<repo>/<n>/leader), so that a later
    /// runner can stop what a dead one left; removed when the step ends.
    /// Empty: a private temporary file.
    std::filesystem::path leader_file;
    /// The kiln binary that leads the step (`kiln build-leader`). Empty: this
    /// program (current_executable()); tests, which are other programs, name kiln.
    std::filesystem::path leader_program;
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
    /// had exited by itself and `linger` had passed, and were stopped
    /// (SIGTERM, then SIGKILL after the grace period).
    int leftovers = 0;
    std::chrono::steady_clock::duration elapsed{};
};

/// Runs `spec` under its leader to its end and returns how it ended. When it
/// returns, the leader has killed and reaped every process of the step. A
/// timeout or a cancel sends SIGTERM to the leader, which stops the step
/// (SIGTERM to its processes, then SIGKILL after `grace`); a leader that does
/// not end 15 s after that is killed, with the step's process group. Throws
/// ProcessError when the process cannot be started (`running make: 'make'
/// not found in PATH (...)`) or the leader ends without a status; on any
/// exception the leader is told to stop the step and waited for first.
ProcessResult run_process(const ProcessSpec& spec, const RunOptions& options);

/// `exited 2`, `killed by signal 9 (SIGKILL)`, `timed out`, `cancelled`.
std::string describe_ending(const ProcessResult& result);

}  // namespace kiln::runner

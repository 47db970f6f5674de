#pragma once

// One child of a gc (the restart command, docker-registry garbage-collect):
// run in a process group of its own, so a Ctrl-C reaches kiln, which then
// puts the registry back, and not a restart half done.

#include <functional>
#include <string>
#include <vector>

namespace kiln::registry_gc {

struct StepResult {
    bool ok = false;          ///< exited 0
    std::string how;          ///< `exited 1`, `killed by signal 15`
    std::string output;       ///< stdout and stderr merged, its last 64 KiB
};

/// Runs `argv` (PATH searched), its output captured, stdin /dev/null.
/// `stop()` is polled; when it turns true and `stoppable`, the child gets
/// SIGTERM. Throws ProcessError when it cannot be started.
StepResult run_step(const std::vector<std::string>& argv, const std::function<bool()>& stop, bool stoppable,
                    const std::string& doing);

}  // namespace kiln::registry_gc

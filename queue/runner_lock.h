#pragma once

#include <filesystem>
#include <optional>

#include "common/posix.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// The runner lock: an flock on <state_dir>/runner.lock, held for the life of
/// the daemon. The kernel drops it when the runner dies, however it dies.
class RunnerLock {
public:
    /// Takes the lock without blocking (creating the state dir and the lock
    /// file when needed); nothing when another process holds it. Throws StateError.
    static std::optional<RunnerLock> try_acquire(const StateLayout& layout);

private:
    explicit RunnerLock(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;  // O_CLOEXEC: a build must not inherit, and so keep, the lock
};

/// True when a live runner holds the lock. Never blocks, never creates the lock
/// file (a missing state dir means no runner). Throws StateError.
bool runner_running(const StateLayout& layout);

/// Starts `kiln_executable [--config config_file] runner` fully detached: double
/// fork + setsid (process::spawn_daemon), cwd `/`, stdin from /dev/null, stdout/stderr appended to
/// <state_dir>/runner.log (/dev/null if that cannot be opened), every other fd
/// closed, and no GIT_* variables or KILN_PUSHED_BY in its environment. The caller's stdout and
/// stderr (the push's pipe to git and sshd) are not held open. Returns once the
/// intermediate child is reaped; a runner that finds the lock taken exits
/// quietly, so racing starters are harmless. Throws ProcessError when fork fails.
void start_detached_runner(const StateLayout& layout, const std::filesystem::path& kiln_executable,
                           const std::optional<std::filesystem::path>& config_file);

}  // namespace kiln::queue

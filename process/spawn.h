#pragma once

// kiln's one way to start a process: every child kiln starts goes through here
// (process/, library kiln_process).
//
// Why kiln's own small module and not Boost.Process (the project's chosen
// library): the hook links this through kiln_queue and kiln_git_objects and runs
// on every push, so it must stay lean: libc's posix_spawn (vfork-like, nothing
// of ours runs between fork and exec) for its one `git cat-file`, where
// Boost.Process is a large header library built on fork() and code run between
// fork and exec. And two of kiln's children need a plain fork() anyway, which
// Boost.Process would only wrap: a daemon that is not the caller's child
// (spawn_daemon) and a child held before its exec until the parent has recorded
// it (spawn_held). Everything else is posix_spawn with POSIX_SPAWN_SETSID,
// SETPGROUP, SETSIGMASK and SETSIGDEF; fork() appears only in those two, in
// fork_spawn.cpp.

#include <string>

#include "common/posix.h"
#include "process/child.h"
#include "process/command.h"

namespace kiln::process {

/// Starts `command` with posix_spawn; the handle on it. Throws
/// ProcessError("<doing>: <why>") when it cannot be started, a missing program
/// included (the exec's error comes back to the caller).
Child spawn(const Command& command, OnDrop on_drop, const std::string& doing);

/// Starts `command` fully detached: fork, setsid, fork again (so the daemon is
/// no session leader and can never gain a terminal, and is not the caller's
/// child), then exec. `command.group` is ignored. Returns once the intermediate
/// child is reaped; an exec that fails ends the daemon with 127 unseen. Throws
/// ProcessError("<doing>: <why>") when fork fails.
void spawn_daemon(const Command& command, const std::string& doing);

/// A child forked but held before its exec until release(): the parent can
/// record its pid (and group) before anything of it runs. Dropped unreleased,
/// it is killed and reaped. Move-only.
class HeldChild {
public:
    HeldChild(Child child, UniqueFd gate) : gate_(std::move(gate)), child_(std::move(child)) {}

    pid_t pid() const { return child_.pid(); }
    /// Lets the child exec; the handle on it.
    Child release();

private:
    UniqueFd gate_;  // destroyed after child_: a dropped child is killed before it could run
    Child child_;
};

/// Forks `command` and holds it before the exec (see HeldChild); with
/// Group::new_group its group exists when this returns. An exec that fails
/// writes `<exec_error_prefix><why>` to the child's stderr and exits 127.
/// Throws ProcessError("<doing>: <why>") when fork fails.
HeldChild spawn_held(const Command& command, const std::string& exec_error_prefix, const std::string& doing);

}  // namespace kiln::process

#include "process/spawn.h"

#include <cstring>
#include <vector>

#include <spawn.h>
#include <unistd.h>

#include "common/error.h"
#include "process/exec_plan.h"

namespace kiln::process {
namespace {

/// posix_spawn's file actions and attributes, destroyed on the way out.
class SpawnSetup {
public:
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attributes_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
    ~SpawnSetup() {
        posix_spawnattr_destroy(&attributes_);
        posix_spawn_file_actions_destroy(&actions_);
    }

    posix_spawn_file_actions_t* actions() { return &actions_; }
    posix_spawnattr_t* attributes() { return &attributes_; }

private:
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attributes_;
};

int add_redirect(posix_spawn_file_actions_t* actions, const Redirect& redirect, int target) {
    switch (redirect.kind) {
    case Redirect::Kind::inherit: return 0;
    case Redirect::Kind::null:
        return posix_spawn_file_actions_addopen(actions, target, "/dev/null",
                                                target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0);
    case Redirect::Kind::fd: return posix_spawn_file_actions_adddup2(actions, redirect.source, target);
    case Redirect::Kind::file:
        return posix_spawn_file_actions_addopen(actions, target, redirect.path.c_str(), redirect.flags, redirect.mode);
    }
    return 0;
}

/// Fills `setup` from `command`; 0 or the errno of the first step that failed.
int prepare(const Command& command, SpawnSetup& setup) {
    posix_spawn_file_actions_t* actions = setup.actions();
    int rc = add_redirect(actions, command.std_in, STDIN_FILENO);
    rc = rc != 0 ? rc : add_redirect(actions, command.std_out, STDOUT_FILENO);
    rc = rc != 0 ? rc : add_redirect(actions, command.std_err, STDERR_FILENO);
    if (rc == 0 && !command.cwd.empty()) {
        rc = posix_spawn_file_actions_addchdir_np(actions, command.cwd.c_str());
    }
    if (rc == 0 && command.close_other_fds) {
        rc = posix_spawn_file_actions_addclosefrom_np(actions, STDERR_FILENO + 1);
    }
    short flags = 0;
    posix_spawnattr_t* attributes = setup.attributes();
    if (command.group == Group::new_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        rc = rc != 0 ? rc : posix_spawnattr_setpgroup(attributes, 0);
    } else if (command.group == Group::new_session) {
        flags |= POSIX_SPAWN_SETSID;
    }
    if (command.signal_mask) {
        flags |= POSIX_SPAWN_SETSIGMASK;
        rc = rc != 0 ? rc : posix_spawnattr_setsigmask(attributes, &*command.signal_mask);
    }
    if (!command.default_signals.empty()) {
        sigset_t defaults;
        sigemptyset(&defaults);
        for (const int signal : command.default_signals) {
            sigaddset(&defaults, signal);
        }
        flags |= POSIX_SPAWN_SETSIGDEF;
        rc = rc != 0 ? rc : posix_spawnattr_setsigdefault(attributes, &defaults);
    }
    return rc != 0 ? rc : posix_spawnattr_setflags(attributes, flags);
}

}  // namespace

Child spawn(const Command& command, OnDrop on_drop, const std::string& doing) {
    const ExecPlan plan(command, doing);
    SpawnSetup setup;
    pid_t pid = -1;
    int rc = prepare(command, setup);
    if (rc == 0) {
        rc = command.search_path
                 ? ::posix_spawnp(&pid, plan.program(), setup.actions(), setup.attributes(), plan.argv(), plan.envp())
                 : ::posix_spawn(&pid, plan.program(), setup.actions(), setup.attributes(), plan.argv(), plan.envp());
    }
    if (rc != 0) {
        throw ProcessError(describe(doing, std::strerror(rc)));
    }
    return Child(pid, on_drop);
}

}  // namespace kiln::process

#pragma once

#include <string>
#include <vector>

#include "queue/state_layout.h"

namespace kiln::runner {

/// A build whose step a dead runner left behind, stopped by stop_abandoned_builds.
struct AbandonedBuild {
    std::string repo;
    int number = 0;
    bool leader_was_alive = false;  ///< else only its step's process group was left
};

/// Call only while holding the runner lock, before any build runs: every
/// builds/<repo>/<n>/leader file is then a dead runner's. For each, a leader
/// that still lives (pid and start time match) gets SIGTERM, which makes it
/// stop its step, and is waited for, then SIGKILLed after a grace; the
/// step's process group gets SIGKILL in case the leader itself was killed.
/// Then the file is removed. Returns the builds found. Throws StateError.
std::vector<AbandonedBuild> stop_abandoned_builds(const queue::StateLayout& layout);

}  // namespace kiln::runner

#pragma once

#include <vector>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::runner {

struct RecoveredBuild {
    queue::BuildRecord interrupted;  ///< the old build, now recorded `interrupted`
    queue::BuildRecord requeued;     ///< the new build of the same sha, trigger `retry of #N`
};

/// Call only while holding the runner lock: every claimed job and every
/// `running` build.json is then a dead runner's. A build that had started is
/// recorded `interrupted` (reason `runner died while it ran`) and queued again
/// as a new build, unless `kiln cancel` had asked to stop it (then it is
/// `cancelled`); a claimed job whose build never started goes back to the
/// queue, and a `queued` build (older than a minute) whose job file is missing
/// gets it written again. Returns the interrupted builds. Throws StateError.
std::vector<RecoveredBuild> recover_builds(const queue::StateLayout& layout);

}  // namespace kiln::runner

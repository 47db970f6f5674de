#pragma once

#include <string>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::queue {

enum class CancelResult {
    cancelled,      ///< it was queued: its job is gone and it is recorded `cancelled`
    requested,      ///< it is running: the runner will stop it (builds/<repo>/<n>/cancel)
    already_final,  ///< it had ended already; nothing changed
};

struct CancelOutcome {
    CancelResult result;
    BuildRecord record;  ///< as it is after the call
};

/// `kiln cancel REPO N`, asked for by the key `by` (empty: unknown). A queued
/// build is recorded `cancelled` with `cancelled_by` = `by` at once; a running
/// one gets a cancel file naming `by`, which finish_record reads when the
/// runner records it `cancelled`. Throws StateError when the build does not exist.
CancelOutcome cancel_build(const StateLayout& layout, const std::string& repo, int number, const std::string& by = {});

/// Who asked to cancel build `repo#number`: the key the cancel file names;
/// empty when there is no cancel file or it names nobody.
std::string cancel_requester(const StateLayout& layout, const std::string& repo, int number);

/// True when `kiln cancel` asked to stop this build (the executor's check).
bool cancel_requested(const StateLayout& layout, const std::string& repo, int number);

}  // namespace kiln::queue

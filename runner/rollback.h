#pragma once

// `kiln rollback APP [BUILD|SHA]`: moves the tags a release got (latest, the
// branch's) back to an earlier release's digest by manifest copy, records it
// in the ledger and POSTs the repo's notify URLs at once, so a `kiln watch
// --listen` deploys it without waiting for its next poll. No rebuild.

#include <string>
#include <vector>

#include "config/config.h"
#include "queue/build_record.h"
#include "releases/ledger.h"

namespace kiln::runner {

struct RollbackResult {
    releases::LedgerEvent to;            ///< the release now under its tags
    std::string from_digest;             ///< what the lead tag named before; empty when it named nothing
    int from_number = 0;                 ///< the release of from_digest; 0 when no release has it
    std::vector<std::string> tags;       ///< the tags moved
    bool unchanged = false;              ///< the lead tag named `to` already: nothing moved or sent
    std::vector<queue::NotifyDelivery> notified;  ///< one per notify URL
};

/// Rolls `repo` back to the release `which` names (releases/release_lookup.h),
/// or, when it is empty, to the newest release older than the current one
/// (the one whose digest the lead tag, `latest` where the release has it,
/// names now) with a different image. `by` is the key that asked
/// (KILN_PUSHED_BY), recorded in the ledger. Throws UsageError when there is
/// nothing to roll back to or `which` names no release, RegistryError when
/// the registry fails (the ledger then records nothing), StateError when the
/// ledger cannot be read or written.
RollbackResult roll_back(const config::Config& config, const std::string& repo, const std::string& which,
                         const std::string& by);

}  // namespace kiln::runner

#pragma once

#include <string>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// True when some process still runs build `repo`#`number`: a live runner
/// holds runner.lock, or the build's step leader (builds/<repo>/<n>/leader)
/// is alive. A build recorded `running` for which this is false was
/// interrupted: its runner died, and the next runner will record it so.
/// Never blocks, writes nothing. Throws StateError.
bool build_is_live(const StateLayout& layout, const std::string& repo, int number);

/// The reason shown for a `running` record that nothing runs.
inline constexpr const char* kAbandonedReason = "its runner died while it ran; the next runner queues it again";

/// `record` as `kiln builds` and `kiln show` present it: a `running` record
/// that no live process runs (build_is_live) reads `interrupted` with
/// kAbandonedReason, as the next runner will record it. The file is not
/// touched. Throws StateError.
BuildRecord displayed_record(const StateLayout& layout, BuildRecord record);

}  // namespace kiln::queue

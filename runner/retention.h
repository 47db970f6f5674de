#pragma once

#include <string>
#include <vector>

#include "queue/state_layout.h"

namespace kiln::runner {

/// Keeps the newest `keep` build folders of `repo` and deletes older ones,
/// never one whose build is still queued or running. Returns the deleted
/// numbers, ascending. Throws StateError.
std::vector<int> prune_builds(const queue::StateLayout& layout, const std::string& repo, int keep);

}  // namespace kiln::runner

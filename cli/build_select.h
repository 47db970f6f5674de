#pragma once

// Naming a build on the command line: `REPO [N|last]`, shared by show, logs
// and cancel.

#include <string>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::cli {

/// The record of build `which` (a number, or `last`: the newest) of `repo`
/// (any accepted spelling). Throws UsageError for a malformed name or number
/// and for a build that does not exist, naming `kiln builds REPO` as the way
/// to see which do.
queue::BuildRecord select_build(const queue::StateLayout& layout, const std::string& repo, const std::string& which);

}  // namespace kiln::cli

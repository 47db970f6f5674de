#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "runner/build_record.h"
#include "runner/state_layout.h"

namespace kiln::runner {

/// Writes the build's log to `out` from its first byte and keeps following it
/// (inotify on the log and the build folder) until build.json is final; then
/// writes what is left of the log and returns the final record. Returns early,
/// with the record as it is then, when keep_going() turns false (checked at
/// least once a second) or `out` fails (the pusher went away). Throws
/// StateError when the build does not exist.
BuildRecord follow_build(const StateLayout& layout, const std::string& repo, int number, std::ostream& out,
                         const std::function<bool()>& keep_going);

/// The exit code of `kiln logs -f` (and of a hook that followed the build):
/// 0 for success or skipped (no Makefile is not a failure), 3 for any other
/// final status.
int follow_exit_code(BuildStatus status);

}  // namespace kiln::runner

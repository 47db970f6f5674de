#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// How follow_build ended.
enum class FollowEnd {
    final,        ///< build.json is final
    left,         ///< keep_going() turned false or `out` failed: the build goes on
    disk_full,    ///< not final, nothing moved for FollowOptions::stall, and the state dir's file system is full
    runner_gone,  ///< `running`, nothing moved for FollowOptions::stall, and nothing runs it (build_is_live)
};

struct FollowResult {
    BuildRecord record;  ///< as it was when following ended
    FollowEnd end = FollowEnd::final;
};

struct FollowOptions {
    /// How long neither the log nor the record may move before follow_build
    /// asks whether they still can: a build may well print nothing for a while.
    std::chrono::milliseconds stall = std::chrono::seconds(10);
};

/// Writes the build's log to `out` from its first byte, its control
/// characters neutralised (common/terminal_text.h: `out` is a terminal), and keeps following it
/// (inotify on the log and the build folder) until build.json is final; then
/// writes what is left of the log. Never waits forever for a record nobody can
/// write: when neither the log nor the status moved for `options.stall` and
/// the state dir's file system has no space left (disk_full), or the build is
/// `running` and no live runner or step leader runs it (runner_gone), it returns; stalled_line()
/// says what happened. Returns early (left) when keep_going() turns false
/// (checked at least once a second) or `out` fails (the pusher went away).
/// Throws StateError when the build does not exist.
FollowResult follow_build(const StateLayout& layout, const std::string& repo, int number, std::ostream& out,
                          const std::function<bool()>& keep_going, const FollowOptions& options = {});

/// The line that ends a follow that ended disk_full or runner_gone, naming
/// `show_command` (`kiln show app 12`) as the way to read the result later:
/// `[kiln] app#12: kiln cannot write to /var/lib/kiln (No space left on
/// device); its result is recorded once space is freed: kiln show app 12`.
/// Nothing for the other ends.
std::optional<std::string> stalled_line(const StateLayout& layout, const FollowResult& result,
                                        const std::string& show_command);

/// Why the queued build `record` does not run yet, as the runner decides (one
/// build at a time per repo and branch, `jobs` builds at once), from the jobs
/// runners have claimed: `waits for app#11 on main`, or `waits for a free
/// runner slot (runner.jobs: 2)`. Nothing when it is not queued or nothing
/// claimed holds it back. Throws StateError.
std::optional<std::string> why_waiting(const StateLayout& layout, const BuildRecord& record, int jobs);

/// The exit code of `kiln logs -f` (and of a hook that followed the build):
/// 0 for success or skipped (no Makefile is not a failure), 3 for any other
/// final status, 2 when the follow ended before the build did (disk_full,
/// runner_gone, left).
int follow_exit_code(const FollowResult& result);

/// The exit code for a final status: 0 for success or skipped, 3 otherwise.
int follow_exit_code(BuildStatus status);

}  // namespace kiln::queue

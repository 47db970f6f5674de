#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// Queues a build of `build` (its number is ignored) from the bare repository
/// `repo_path` durably: allocates the next number of `build.repo` by an
/// exclusive mkdir of builds/<repo>/<n>, creates the (empty) log so `tail -f`
/// works at once, writes build.json (`queued`), then the job file in queue/
/// (tmp + fsync + rename). When it returns, the push is never lost, with or
/// without a runner. Safe against concurrent callers in other processes.
/// Returns the queued record. Throws StateError (`writing '<file>': No space
/// left on device`, ...) when any step fails; the build folder it made is then
/// removed again, so the number is not burnt and no temp file is left.
/// `order` is BuildRecord::order: unset for a push or rebuild (its own
/// number); a retry passes the interrupted build's order.
BuildRecord enqueue_build(const StateLayout& layout, BuildIdentity build, const std::filesystem::path& repo_path,
                          std::optional<int> order = std::nullopt);

}  // namespace kiln::queue

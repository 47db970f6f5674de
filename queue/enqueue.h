#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::runner {

/// What a push (or `kiln rebuild`, or recovery) asks the runner to build.
struct BuildRequest {
    std::string repo;                   ///< canonical name
    std::filesystem::path repo_path;    ///< the bare repository
    std::string ref;                    ///< `refs/heads/main`; may be empty for a bare SHA
    std::string sha;                    ///< full hex commit id
    std::string trigger = "push";       ///< `push`, `rebuild`, `retry of #41`
    /// BuildRecord::order: unset for a push or rebuild (its own number); a
    /// retry passes the interrupted build's order.
    std::optional<int> order;
};

/// Queues a build durably: allocates the next number of `request.repo` by an
/// exclusive mkdir of builds/<repo>/<n>, creates the (empty) log so `tail -f`
/// works at once, writes build.json (`queued`), then the job file in queue/
/// (tmp + fsync + rename). When it returns, the push is never lost, with or
/// without a runner. Safe against concurrent callers in other processes.
/// Returns the queued record. Throws StateError (`writing '<file>': No space
/// left on device`, ...) when any step fails; the build folder it made is then
/// removed again, so the number is not burnt and no temp file is left.
BuildRecord enqueue_build(const StateLayout& layout, const BuildRequest& request);

/// The branch name of `ref` (`main` for `refs/heads/main`); empty otherwise.
std::string branch_of_ref(const std::string& ref);

}  // namespace kiln::runner

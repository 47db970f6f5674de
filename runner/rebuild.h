#pragma once

#include <filesystem>
#include <string>

#include "queue/state_layout.h"

namespace kiln::runner {

/// What `kiln rebuild` builds: a branch's tip, or one commit.
struct RebuildTarget {
    std::string ref;  ///< `refs/heads/<branch>`; for a commit, a branch whose tip it is, else empty
    std::string sha;  ///< full hex commit id
};

/// Resolves `what` in the bare repository `repo_path`: a branch name first,
/// else any revision naming a commit (a full or short sha). An empty `what`
/// means the branch of the newest build of `repo` that had one, else `main`.
/// Throws UsageError (`resolving 'x' in app: no branch or commit of that name`)
/// or GitError. Needs a git::Library alive.
RebuildTarget resolve_rebuild_target(const StateLayout& layout, const std::string& repo,
                                     const std::filesystem::path& repo_path, const std::string& what);

}  // namespace kiln::runner

#pragma once

#include <filesystem>
#include <string>

#include "queue/build_identity.h"
#include "queue/state_layout.h"

namespace kiln::runner {

/// What `kiln rebuild` builds (trigger `rebuild`, not numbered yet, no
/// pusher: the caller sets pushed_by): resolves
/// `what` in the bare repository `repo_path`, a branch name first (its tip),
/// else any revision naming a commit (a full or short sha; its ref is a branch
/// whose tip it is, else empty). An empty `what` means the branch of the
/// newest build of `repo` that had one, else (nothing built yet) the branch
/// the repository's HEAD names where it exists, else `main`, else `master`.
/// Throws UsageError (`resolving 'x' in app: no branch or commit of that name`)
/// or GitError. Needs a git::Library alive.
queue::BuildIdentity resolve_rebuild_target(const queue::StateLayout& layout, const std::string& repo,
                                     const std::filesystem::path& repo_path, const std::string& what);

}  // namespace kiln::runner

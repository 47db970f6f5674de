#pragma once

// Executing one build: the worktree at the pushed sha, the environment, then
// `make TARGET` for each target, all written to the build's log.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "queue/build_identity.h"
#include "queue/build_record.h"

namespace kiln::queue {
class BuildLog;
}

namespace kiln::runner {

/// How a build ended. exit_code is make's, when make ran and exited.
struct BuildOutcome {
    queue::BuildStatus status = queue::BuildStatus::failed;
    std::optional<int> exit_code;
    std::string reason;  ///< empty on success
};

/// Everything execute_build needs to know about one build.
struct BuildPlan {
    const config::Config* config = nullptr;  ///< runner.timeout, registry.url, secrets_dir; required
    queue::BuildIdentity id;                        ///< checks out id.sha exactly
    std::filesystem::path repo_path;         ///< the bare repository
    config::RepoConfig repo_config;          ///< .kiln.yml at `sha` over the config's defaults
    std::filesystem::path worktree_root;     ///< state/work/<repo>
    /// The reusable worktree slot to use; when another process holds it, the
    /// lowest free one is taken instead. Unused with `workspace: fresh`.
    int slot = 0;
    /// Between SIGTERM and SIGKILL when the build is stopped.
    std::chrono::milliseconds kill_grace{10000};
    /// Where each step's leader is recorded while it runs (StateLayout::leader_file),
    /// so a runner that starts after this one died can stop what it left. Empty: not kept.
    std::filesystem::path leader_file;
    /// The kiln binary that leads each step (RunOptions::leader_program); empty: this program.
    std::filesystem::path leader_program;
    /// Runs after every target succeeded, while the worktree is still held
    /// (a fresh one not yet removed, a slot still locked): the place for steps
    /// that read what make wrote, like pushing image.archive. Returns the
    /// outcome that replaces success (e.g. failed with a reason), or nothing.
    /// An Error it throws fails the build like any other. It gets the build's
    /// deadline and must stop by then or on a cancel; a failure that comes
    /// with either ends the build `timeout` or `cancelled`, as make's would.
    std::function<std::optional<BuildOutcome>(const std::filesystem::path& worktree,
                                              std::chrono::steady_clock::time_point deadline)>
        after_make;
};

/// Runs the build of `plan`, writing make's output and `[kiln]` lines (one per
/// phase, with its duration) to `log`:
///  - checks out plan.id.sha (reusable slot or fresh folder, per workspace);
///  - no GNUmakefile, makefile or Makefile: skipped, `no Makefile in <sha7>`;
///  - make always gets IMAGE and REGISTRY on its command line as well as in
///    its environment, so they win over the Makefile's own assignments;
///  - for each target: when the Makefile has no rule for it (asked with
///    `make -q TARGET`, which runs no recipe except `+` lines, $(MAKE) ones
///    and rules that remake included makefiles, which the real run would run
///    as well), `Makefile has no target 'T'; nothing to build`, and the next
///    target; else `$ make T`; the first failure ends the build. When no target
///    exists at all the build is skipped;
///  - the timeout (repo_config.timeout, else runner.timeout) covers the whole
///    build; cancel_requested() is polled throughout; either stops make (its
///    leader sends SIGTERM to its processes, SIGKILL to every process of it
///    after plan.kill_grace).
/// Failures of kiln's own (a missing commit, a bad secrets file, no make) end
/// the build `failed` with the error as reason and an `[kiln] error:` line; only
/// a failure to write the log itself throws (StateError). Throws Error when
/// plan.config is null.
BuildOutcome execute_build(const BuildPlan& plan, queue::BuildLog& log, const std::function<bool()>& cancel_requested);

}  // namespace kiln::runner

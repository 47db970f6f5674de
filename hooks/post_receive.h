#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "hooks/hook_input.h"
#include "hooks/push_options.h"
#include "queue/build_identity.h"
#include "queue/log_follow.h"

namespace kiln::hooks {

/// What a push means, decided before anything is queued: the builds it asks
/// for (each a branch update, trigger `push`, not numbered yet) and one line
/// (without the `[kiln] ` prefix) per update that builds nothing.
struct PushPlan {
    std::vector<queue::BuildIdentity> builds;
    std::vector<std::string> notes;
};

/// Decides, for each update of `input`, whether it is built: only branch
/// updates (no deletions, tags or other refs) whose branch matches `branches`
/// of the `.kiln.yml` in the pushed commit (read from `repo_path` without a
/// checkout; `config.defaults` when absent or invalid), and nothing with
/// `ci.skip`. Malformed lines become notes too (the first ten, then a count).
/// Never throws for bad input or a bad `.kiln.yml`.
PushPlan plan_push(const config::Config& config, const std::filesystem::path& repo_path, const std::string& repo,
                   const HookInput& input, const PushOptions& options);

/// The canonical name (`app`, `team/app`) of the repository at `repo_path`
/// under `git_root`; nothing when it lies outside git_root or its name is not
/// one kiln accepts.
std::optional<std::string> repo_name_under(const std::filesystem::path& git_root, const std::filesystem::path& repo_path);

/// Everything `kiln hook post-receive` needs besides its input.
struct PostReceiveContext {
    const config::Config* config = nullptr;
    std::filesystem::path repo_path;           ///< the repository receiving the push (GIT_DIR)
    PushOptions options;
    std::filesystem::path kiln_executable;     ///< started as `kiln runner` when no runner runs
    std::string host;                          ///< named in `ssh USER@HOST kiln logs ...`; empty: host_name()
    std::string user;                          ///< named in `ssh USER@HOST kiln logs ...`; empty: user_name()
    std::string pushed_by;                     ///< recorded as each build's pushed_by; empty: unknown
    bool start_runner = true;                  ///< unit tests queue without a runner
    queue::FollowOptions follow;              ///< unit tests wait less for a stalled build
};

/// The post-receive hook: plans the push, queues each build as pushed by
/// `context.pushed_by` (printing
/// `[kiln] build app#42 queued (follow: ssh git@HOST kiln logs app 42 -f)`), starts
/// a detached runner when none holds the runner lock, then (unless
/// `kiln.detach`) streams each build's log to `out`, first saying why it waits
/// when it does (`[kiln] app#42 waits for app#41 on main`), and ends it with
/// one line: `[kiln] app#42 success in 3s`. A build that cannot be recorded
/// (a full disk) is named in two lines, with the `kiln rebuild` that builds it
/// later, and is not followed. A build whose record can no longer become final
/// (the disk is full, its runner died) ends with stalled_line(). When
/// keep_going() turns false or `out` fails (the pusher pressed Ctrl-C or went
/// away) it stops streaming; the builds go on. Returns the exit code: 0 (git
/// holds the push either way), 3 when a followed build did not succeed, 2 when
/// one's end could not be seen. Throws StateError when the state dir cannot be read.
int run_post_receive(const PostReceiveContext& context, std::istream& in, std::ostream& out,
                     const std::function<bool()>& keep_going);

}  // namespace kiln::hooks

#pragma once

// Builds kept apart from each other (runner.sandbox, docs/sandbox.md).
//
// In the sandbox, make runs as
//   unshare --user --map-root-user [--map-auto] -- bwrap --ro-bind / / --dev /dev
//     --proc /proc --tmpfs /tmp --tmpfs /var/tmp --tmpfs <each hidden dir>
//     --ro-bind /dev/null <each hidden file> --bind WORKTREE WORKTREE
//     --bind HOME HOME --chdir WORKTREE --unshare-pid --unshare-ipc -- make ...
// inside the step's leader (runner/step_leader.h), which still sees and stops
// every process of it. The hidden dirs are the git root, kiln's state dir, the
// secrets dir and the build user's home; the hidden files are the config (it
// may hold registry.password) and the Docker socket (root on the box). The
// worktree and the repo's own home (state/home/<repo>) are bound back on top.
//
// Why unshare in front of bwrap: Debian's bwrap is not setuid, so it needs a
// user namespace it can enter, and `--map-auto` maps the build user's
// subordinate ids (/etc/subuid) into it, which rootless buildah and podman need
// for a RUN step. Inside, the build user is uid 0 of its namespace; the
// environment tells buildah and podman that the namespace is theirs already
// (sandbox_environment), so they use their rootless storage under HOME.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"

namespace kiln::runner {

/// How builds run on this box, as decided for one config.
struct SandboxChoice {
    /// Builds run under bubblewrap.
    bool on = false;
    /// The build user's subordinate ids are mapped (--map-auto); false: its one id only.
    bool map_auto = false;
    /// The build's `[kiln]` line: `sandbox: bubblewrap`, `sandbox: none (<why>)`.
    std::string summary;
    /// Set when runner.sandbox is `bubblewrap` and it cannot run here: why, and
    /// what to do. Every build then fails with it.
    std::string problem;
};

/// Decides for `config`: `none` is off; otherwise tries the sandbox once as
/// this user (the wrapper running `true`, with and then without --map-auto).
/// The runner as root gets none under `auto` and a problem under `bubblewrap`:
/// root's namespaces would not keep builds from what root may do.
SandboxChoice choose_sandbox(const config::Config& config);

/// choose_sandbox, tried once per process for a given mode and kept: the
/// runner asks at start and then for every build.
const SandboxChoice& sandbox_choice(const config::Config& config);

/// The sandbox home of `repo`: state_dir/home/<repo> (`team~app` for
/// `team/app`, so that no repo's home holds another's), kept between its builds
/// (image layer caches) and seen by no other repo. Created 0700 when missing.
/// Throws StateError.
std::filesystem::path sandbox_home(const config::Config& config, const std::string& repo);

/// What to put in front of a program's argv (absolute programs first) so that
/// it runs in the sandbox of one build, `worktree` read-write and its cwd.
/// Throws ProcessError when unshare or bwrap is not found.
std::vector<std::string> sandbox_argv(const SandboxChoice& choice, const config::Config& config,
                                      const std::filesystem::path& worktree, const std::filesystem::path& home);

/// Sets in `env` what a build in the sandbox needs: HOME=`home`, and for
/// buildah and podman `_CONTAINERS_USERNS_CONFIGURED=done` and
/// `_CONTAINERS_ROOTLESS_UID` (the build user's uid), so that, seeing uid 0,
/// they still use the build user's storage and do not try newuidmap, which a
/// process under no_new_privs cannot.
void sandbox_environment(std::map<std::string, std::string>& env, const std::filesystem::path& home);

}  // namespace kiln::runner

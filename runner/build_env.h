#pragma once

// The environment make runs with. Nothing is inherited from the runner: the
// hook runs with GIT_DIR, GIT_QUARANTINE_PATH and friends (a build that saw
// them would operate on the bare repository instead of its worktree), and the
// long-lived runner may have been started by a push or by a login shell, whose
// PATH and locale differ; builds must not depend on which.

#include <map>
#include <string>

#include "config/config.h"
#include "queue/build_identity.h"

namespace kiln::runner {

using Environment = std::map<std::string, std::string>;

/// Who builds: the entry of the runner's effective uid in the password database.
struct BuildUser {
    std::string name;   ///< empty when the database has no entry for the uid
    std::string home;
    std::string shell = "/bin/sh";  ///< the login shell; /bin/sh when the entry names none
};

/// The build user of this process (getpwuid(geteuid())); a uid without an
/// entry gives an empty name and home and /bin/sh.
BuildUser current_build_user();

/// The registry repository a build's image goes to: image.name when set, else
/// the repo name lowercased (`Team/App` -> `team/app`).
std::string image_name(const std::string& repo, const config::RepoConfig& repo_config);

/// The environment of make for one build, built in layers, later ones winning.
/// Nothing comes from the runner's own environment, so a build sees the same
/// variables whether a push over ssh, a login shell or systemd started it:
///  1. PATH (config.runner.path), HOME, USER and LOGNAME (`user`'s; left out
///     when it has no name), SHELL (`user.shell`), LANG=C.UTF-8;
///  2. the repo's `env` (the global `defaults.env` merged with .kiln.yml's);
///  3. the repo's secrets (the operator's file wins over the repository);
///  4. KILN_REPO, KILN_BRANCH, KILN_REF, KILN_SHA, KILN_BUILD, REGISTRY
///     (registry::host_of_url of registry.url) and IMAGE (`REGISTRY/<image name>:<sha>`):
///     a build cannot pretend to be another one.
Environment build_environment(const config::Config& config, const config::RepoConfig& repo_config,
                              const queue::BuildIdentity& build, const std::map<std::string, std::string>& secrets,
                              const BuildUser& user);

}  // namespace kiln::runner

#pragma once

// The environment make runs with. Nothing is inherited by default: the hook
// runs with GIT_DIR, GIT_QUARANTINE_PATH and friends, and a build that saw them
// would operate on the bare repository instead of its worktree.

#include <map>
#include <string>

#include "config/config.h"

namespace kiln::runner {

using Environment = std::map<std::string, std::string>;

/// What identifies one build to its Makefile.
struct BuildIdentity {
    std::string repo;    ///< canonical: `app`, `team/app`
    std::string branch;  ///< `main`; empty for a rebuild of a bare sha
    std::string ref;     ///< `refs/heads/main`; empty for a rebuild of a bare sha
    std::string sha;     ///< full hex commit id
    int number = 0;
};

/// The runner's own environment (environ), as a map.
Environment current_environment();

/// `host:port` of a registry URL: `http://127.0.0.1:5000/` -> `127.0.0.1:5000`.
std::string registry_host(const std::string& registry_url);

/// The registry repository a build's image goes to: image.name when set, else
/// the repo name lowercased (`Team/App` -> `team/app`).
std::string image_name(const std::string& repo, const config::RepoConfig& repo_config);

/// The environment of make for one build, built in layers, later ones winning:
///  1. from `runner_env`, only PATH (default
///     /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin), HOME,
///     USER, LOGNAME, SHELL (default /bin/sh), LANG (default C.UTF-8), TZ and
///     TMPDIR; HOME, USER and LOGNAME come from the password database when unset;
///  2. the repo's `env` from .kiln.yml;
///  3. the repo's secrets (the operator's file wins over the repository);
///  4. KILN_REPO, KILN_BRANCH, KILN_REF, KILN_SHA, KILN_BUILD, REGISTRY
///     (registry_host of registry.url) and IMAGE (`REGISTRY/<image name>:<sha>`):
///     a build cannot pretend to be another one.
/// GIT_* variables from `runner_env` never pass; the repo's env and secrets may
/// set them on purpose.
Environment build_environment(const Environment& runner_env, const config::Config& config,
                              const config::RepoConfig& repo_config, const BuildIdentity& build,
                              const std::map<std::string, std::string>& secrets);

}  // namespace kiln::runner

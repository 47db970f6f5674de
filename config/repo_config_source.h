#pragma once

// Reading `.kiln.yml` straight from a pushed commit (commit -> tree -> blob), so
// the hook and the runner see the config of exactly that commit, without a
// checkout and without trusting what a worktree holds.

#include <filesystem>
#include <string>

#include "config/config.h"

struct git_repository;

namespace kiln::config {

/// The file kiln reads at the root of a commit.
inline constexpr const char* kRepoConfigFile = ".kiln.yml";

/// The `.kiln.yml` of commit `sha` in the (bare) repository at `repo_path`,
/// parsed on top of `defaults`; `defaults` itself when the commit has none.
/// Errors name the file `<repo dir name>@<sha, 8 digits>:.kiln.yml:LINE:COL`.
/// `sha` may be any revision libgit2 parses (a full or short id, a branch).
/// Throws ConfigError (bad file), GitError (no such repository or commit).
RepoConfig load_repo_config(const std::filesystem::path& repo_path, const std::string& sha,
                            const RepoConfig& defaults);

/// The same, for a repository already open; `label` names it in errors (`app.git`).
RepoConfig load_repo_config(git_repository* repo, const std::string& label, const std::string& sha,
                            const RepoConfig& defaults);

/// A `.kiln.yml` on disk (for `kiln config check`), parsed on top of
/// `defaults`; errors name it as given. Throws ConfigError.
RepoConfig load_repo_config_file(const std::filesystem::path& path, const RepoConfig& defaults);

}  // namespace kiln::config

#pragma once

// Reading `.kiln.yml` straight from a pushed commit (its root tree), so the
// hook and the runner see the config of exactly that commit, without a
// checkout and without trusting what a worktree holds.

#include <filesystem>
#include <string>

#include "git-objects/commit_root.h"
#include "config/config.h"

namespace kiln::config {

/// The file kiln reads at the root of a commit.
inline constexpr const char* kRepoConfigFile = ".kiln.yml";

/// A config is a few hundred bytes; a bigger blob is a mistake, not a config.
inline constexpr std::uint64_t kMaxRepoConfigSize = 1024 * 1024;

/// The root of commit `revision` (any revision git parses: a full or short
/// id, a branch) of the bare repository at `repo_path`, with `.kiln.yml` read.
/// Throws GitError (no such repository or commit).
git_objects::CommitRoot read_config_root(const std::filesystem::path& repo_path, const std::string& revision);

/// The `.kiln.yml` of `root` parsed on top of `defaults`; `defaults` itself
/// when the commit has none. `label` names the repository in errors, which
/// read `<label>@<sha, 8 digits>:.kiln.yml:LINE:COL`. Throws ConfigError.
RepoConfig repo_config_at(const git_objects::CommitRoot& root, const std::string& label, const RepoConfig& defaults);

/// Both: the `.kiln.yml` of commit `revision` in the repository at
/// `repo_path`, labelled with the repository's directory name (`app.git`).
/// Throws ConfigError (bad file), GitError (no such repository or commit).
RepoConfig load_repo_config(const std::filesystem::path& repo_path, const std::string& revision,
                            const RepoConfig& defaults);

/// A `.kiln.yml` on disk (for `kiln config check`), parsed on top of
/// `defaults`; errors name it as given. Throws ConfigError.
RepoConfig load_repo_config_file(const std::filesystem::path& path, const RepoConfig& defaults);

}  // namespace kiln::config

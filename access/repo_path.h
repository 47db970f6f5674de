#pragma once

// The repository a git command over SSH names, in any form git sends it:
// `'app.git'` (scp-like `host:app.git`), `'/srv/git/app.git'` (ssh://host/srv/git/...),
// `'~/app.git'` (ssh://host/~/app.git), with or without `.git`, one folder deep
// at most. Everything maps to a canonical name under git_root by `kiln init`'s
// rules, or is refused.

#include <filesystem>
#include <optional>
#include <string>

namespace kiln::access {

struct MappedRepo {
    std::string name;     ///< canonical: `app`, `team/app`
    std::string problem;  ///< why it was refused, when `name` is empty
};

/// The canonical repository name `path` (as the client sent it) names under
/// `git_root`: an absolute path must lie under git_root (lexically; `..` is
/// never accepted), `~/` stands for git_root, `~user` is refused, and the rest
/// must be a repository name `kiln init` accepts.
MappedRepo map_repo_path(const std::string& path, const std::filesystem::path& git_root);

struct RepoLocation {
    std::filesystem::path path;  ///< the repository's real path (symlinks resolved) when it exists
    bool exists = false;
    std::string problem;         ///< why it is refused: it, or a folder on its way, leads out of git_root
};

/// Where the repository `name` (canonical) is: `<git_root>/<name>.git`, refused
/// when it or the folder it would be created in resolves (realpath) to
/// anywhere but inside realpath(git_root), or git_root does not exist.
RepoLocation locate_repo(const std::filesystem::path& git_root, const std::string& name);

}  // namespace kiln::access

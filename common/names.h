#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kiln {

/// Why `name` is not an acceptable repository name, or nothing when it is.
/// Accepted: one or two `/`-separated segments of [A-Za-z0-9._-], none starting
/// with `.` or `-`, an optional `.git` suffix; never absolute, never `..`.
std::optional<std::string> repo_name_problem(const std::string& name);

/// Why `name` cannot name an SSH key (`kiln key add`, and so `pushed_by`), or
/// nothing when it can: the rules of one segment of a repository name
/// (letters, digits, `.`, `_`, `-`, not starting with `.` or `-`), at most 64
/// characters.
std::optional<std::string> key_name_problem(const std::string& name);

/// True if `name` can name a host in kiln's records (a deploy host's report):
/// 1 to 253 of [A-Za-z0-9._-], not starting with `-`.
bool is_host_name(const std::string& name);

/// The canonical form of a valid repo name: `team/app` for `team/app.git`.
/// Throws UsageError with repo_name_problem()'s text when the name is invalid.
std::string canonical_repo_name(const std::string& name);

/// The bare repository of the canonical name `name`: `<git_root>/<name>.git`
/// (`/srv/git/team/app.git` for `team/app`).
std::filesystem::path bare_repo_path(const std::filesystem::path& git_root, const std::string& name);

/// True if `path` is named like a bare repository: its last part is a name
/// followed by `.git` (`app.git`, not `.git`).
bool has_bare_repo_suffix(const std::filesystem::path& path);

/// The name bare_repo_path() gives `path` under `git_root`: `team/app` for
/// `<git_root>/team/app.git`. `path` must have the suffix (has_bare_repo_suffix).
std::string repo_name_of_path(const std::filesystem::path& git_root, const std::filesystem::path& path);

}  // namespace kiln

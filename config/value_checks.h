#pragma once

// Checks of single config values. Each returns why the value is unacceptable,
// or nothing when it is fine; the caller adds the file position.

#include <optional>
#include <string>

namespace kiln::config {

/// A repository name in the registry (kiln::is_image_name), at most 255
/// characters.
std::optional<std::string> image_name_problem(const std::string& name);

/// A tag template: a tag (kiln::is_image_tag) once `{branch}` is replaced.
std::optional<std::string> image_tag_problem(const std::string& tag);

/// A path inside the worktree: relative, without `..`.
std::optional<std::string> archive_path_problem(const std::string& path);

/// An http:// or https:// URL with a host.
std::optional<std::string> notify_url_problem(const std::string& url);

/// What is wrong with `key` as a secrets-file key (`url_secret:`): letters,
/// digits and _, not starting with a digit.
std::optional<std::string> secret_key_problem(const std::string& key);

/// `http(s)://HOST[:PORT]` with no path: images are named HOST:PORT/NAME.
std::optional<std::string> registry_url_problem(const std::string& url);

/// An environment variable name the build may set: `[A-Za-z_][A-Za-z0-9_]*`,
/// and none of the names kiln itself sets (kiln::is_build_variable: KILN_*,
/// REGISTRY, IMAGE).
std::optional<std::string> env_name_problem(const std::string& name);

/// A PATH: absolute directories joined by `:`, none of them empty (an empty
/// entry means the current directory, the worktree).
std::optional<std::string> search_path_problem(const std::string& path);

/// A make target: not empty, no whitespace, no `=` (a variable assignment) and
/// no leading `-` (an option).
std::optional<std::string> make_target_problem(const std::string& target);

/// A branch glob: not empty, and a branch name rather than a ref.
std::optional<std::string> branch_glob_problem(const std::string& glob);

}  // namespace kiln::config

#pragma once

// What a key may do: its role, and which repositories (globs) it reaches.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::access {

/// Ordered: each role may do everything the one before it may.
enum class Role {
    read,   ///< fetch, clone, archive; list and read builds and images
    write,  ///< + push (a first push creates the repo), rebuild, cancel
    admin,  ///< + kiln init, kiln key, image tag/rm/prune
};

/// `read`, `write` or `admin`.
std::string to_string(Role role);

/// The role named `text`; nothing for any other text.
std::optional<Role> parse_role(std::string_view text);

/// True when a key of role `have` may run what needs `need`.
bool permits(Role have, Role need);

/// True when the canonical repository name `repo` matches one of `globs`
/// (fnmatch with FNM_PATHNAME: `*` stays within one segment, so `team/*`
/// matches `team/app` and `*` matches `app` but not `team/app`); every
/// repository when `globs` is empty.
bool repo_allowed(const std::vector<std::string>& globs, const std::string& repo);

/// Why `glob` cannot be a key's repository glob (empty, blanks or control
/// characters, longer than 200 characters), or nothing when it can.
std::optional<std::string> repo_glob_problem(const std::string& glob);

/// `every repo` for no globs, else the globs joined by `, `.
std::string describe_repos(const std::vector<std::string>& globs);

}  // namespace kiln::access

#pragma once

// What `kiln shell` may run, as a fixed grammar: the client's words are parsed
// into a request whose every value is checked, and what runs is built afresh
// from those values; no word of the client's reaches git or kiln unchecked.

#include <optional>
#include <string>
#include <vector>

#include "access/role.h"

namespace kiln::access {

enum class GitService { upload_pack, receive_pack, upload_archive };

/// `upload-pack`, `receive-pack` or `upload-archive`: git's subcommand.
std::string to_string(GitService service);

struct GitRequest {
    GitService service;
    std::string path;  ///< the repository as the client named it, mapped by map_repo_path()
};

struct KilnRequest {
    /// The arguments after `kiln` (and its --config), rebuilt from checked
    /// values: `builds app --limit 5 --json`.
    std::vector<std::string> args;
    /// Every repository the command names, canonical, for the key's globs.
    std::vector<std::string> repos;
};

struct Request {
    std::string what;  ///< `git-receive-pack`, `kiln key add`: for messages and the log
    Role needs = Role::read;
    std::optional<GitRequest> git;
    std::optional<KilnRequest> kiln;
};

struct ParsedRequest {
    std::optional<Request> request;
    std::string problem;  ///< why it was refused, when `request` is empty
    bool unknown_command = false;  ///< refused as no command kiln shell runs at all
};

/// Parses the words of SSH_ORIGINAL_COMMAND (split_shell_words()).
ParsedRequest parse_request(const std::vector<std::string>& words);

/// What a key of `role` may run, in one line (`git fetch/clone/archive, kiln
/// repos, builds, ...`), for the message an interactive login gets.
std::string allowed_summary(Role role);

}  // namespace kiln::access

#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "repos/hook_stub.h"

namespace kiln::repos {

struct InitResult {
    std::filesystem::path path;  ///< the bare repository, `<git_root>/<name>.git`
    bool created;                ///< false: it existed and only its hook was rewritten
};

/// Creates the bare repository `<git_root>/<name>.git` (name already canonical),
/// enables push options and installs the hook; on an existing repository only
/// rewrites the hook. When run as root under a git_root owned by another user,
/// hands the new repository to that user, because git refuses to serve a
/// repository owned by someone else. Throws GitError or StateError.
InitResult init_repository(const std::filesystem::path& git_root, const std::string& name, const HookTarget& hook);

struct RepositorySummary {
    std::string name;                   ///< canonical: `app`, `team/app`
    std::filesystem::path path;
    std::uint64_t size_bytes = 0;
    std::optional<std::string> newest_branch;  ///< branch of the newest commit; none when empty
    std::optional<std::string> newest_sha;
    std::optional<std::string> newest_subject;
    std::optional<std::int64_t> newest_time;   ///< commit time, seconds since the epoch
};

/// Every bare repository under `git_root` (one folder level deep at most),
/// sorted by name. A missing git_root yields an empty list. Throws GitError.
std::vector<RepositorySummary> list_repositories(const std::filesystem::path& git_root);

}  // namespace kiln::repos

#include <fnmatch.h>

#include <algorithm>
#include <cctype>

#include "config/config.h"

namespace kiln::config {

bool branch_selected(const RepoConfig& config, const std::string& branch) {
    // No FNM_PATHNAME: `release/*` should also take `release/1.x/hotfix`, as
    // users read a glob on branch names, not on file paths.
    return std::any_of(config.branches.begin(), config.branches.end(), [&branch](const std::string& glob) {
        return ::fnmatch(glob.c_str(), branch.c_str(), 0) == 0;
    });
}

std::string expand_tag(const std::string& tag, const std::string& branch) {
    static const std::string kPlaceholder = "{branch}";
    constexpr std::size_t kMaxTag = 128;
    std::string safe_branch = branch;
    std::replace_if(
        safe_branch.begin(), safe_branch.end(),
        [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'); },
        '-');
    std::string result = tag;
    for (std::size_t at = result.find(kPlaceholder); at != std::string::npos; at = result.find(kPlaceholder, at)) {
        result.replace(at, kPlaceholder.size(), safe_branch);
        at += safe_branch.size();
    }
    // A tag may not start with '.' or '-', which a branch like `-wip` would give.
    if (!result.empty() && (result.front() == '.' || result.front() == '-')) {
        result.front() = '_';
    }
    return result.substr(0, kMaxTag);
}

}  // namespace kiln::config

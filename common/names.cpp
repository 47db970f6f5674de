#include "common/names.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/text.h"

namespace kiln {
namespace {

constexpr std::size_t kMaxSegments = 2;
constexpr std::size_t kMaxNameLength = 200;
constexpr std::string_view kGitSuffix = ".git";
constexpr std::size_t kMaxKeyNameLength = 64;

bool allowed_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

std::string strip_git_suffix(const std::string& name) {
    if (name.size() > kGitSuffix.size() && name.ends_with(kGitSuffix)) {
        return name.substr(0, name.size() - kGitSuffix.size());
    }
    return name;
}

}  // namespace

std::optional<std::string> repo_name_problem(const std::string& name) {
    const std::string quoted = "'" + name + "'";
    if (name.empty()) {
        return "repository name is empty";
    }
    if (name.size() > kMaxNameLength) {
        return "repository name " + quoted + " is longer than " + std::to_string(kMaxNameLength) + " characters";
    }
    if (name.front() == '/') {
        return "repository name " + quoted + " is absolute; give a name relative to git_root, like 'app' or 'team/app'";
    }
    const std::vector<std::string> segments = split(strip_git_suffix(name), '/');
    if (std::find(segments.begin(), segments.end(), "") != segments.end()) {
        return "repository name " + quoted + " has an empty segment";
    }
    if (segments.size() > kMaxSegments) {
        return "repository name " + quoted + " has more than one folder level; use 'app' or 'team/app'";
    }
    for (const std::string& segment : segments) {
        if (segment == "..") {
            return "repository name " + quoted + " contains '..'";
        }
        if (segment.front() == '.' || segment.front() == '-') {
            return "repository name " + quoted + ": segment '" + segment + "' starts with '" + segment.front() +
                   "'";
        }
        const auto bad = std::find_if_not(segment.begin(), segment.end(), allowed_char);
        if (bad != segment.end()) {
            return "repository name " + quoted + " contains '" + std::string(1, *bad) +
                   "'; only letters, digits, '.', '_' and '-' are allowed";
        }
        if (segment.ends_with(".git") && &segment != &segments.back()) {
            return "repository name " + quoted + ": only the last segment may end in '.git'";
        }
    }
    return std::nullopt;
}

std::optional<std::string> key_name_problem(const std::string& name) {
    const std::string quoted = "'" + name + "'";
    if (name.empty()) {
        return "key name is empty";
    }
    if (name.size() > kMaxKeyNameLength) {
        return "key name " + quoted + " is longer than " + std::to_string(kMaxKeyNameLength) + " characters";
    }
    if (name.front() == '.' || name.front() == '-') {
        return "key name " + quoted + " starts with '" + name.front() + "'";
    }
    const auto bad = std::find_if_not(name.begin(), name.end(), allowed_char);
    if (bad != name.end()) {
        return "key name " + quoted + " contains '" + std::string(1, *bad) +
               "'; only letters, digits, '.', '_' and '-' are allowed";
    }
    return std::nullopt;
}

std::filesystem::path bare_repo_path(const std::filesystem::path& git_root, const std::string& name) {
    return git_root / (name + std::string(kGitSuffix));
}

bool has_bare_repo_suffix(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    return name.size() > kGitSuffix.size() && name.ends_with(kGitSuffix);
}

std::string repo_name_of_path(const std::filesystem::path& git_root, const std::filesystem::path& path) {
    const std::string relative = std::filesystem::relative(path, git_root).string();
    return relative.substr(0, relative.size() - kGitSuffix.size());
}

std::string canonical_repo_name(const std::string& name) {
    if (std::optional<std::string> problem = repo_name_problem(name)) {
        throw UsageError(*problem);
    }
    return strip_git_suffix(name);
}

bool is_host_name(const std::string& name) {
    return !name.empty() && name.size() <= 253 && name.front() != '-' &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
           });
}

}  // namespace kiln

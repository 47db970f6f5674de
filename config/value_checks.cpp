#include "config/value_checks.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "common/build_variables.h"
#include "common/image_names.h"
#include "common/text.h"

namespace kiln::config {
namespace {

const std::string kBranchPlaceholder = "{branch}";

// Distribution's limit on a repository name, host included; the config checks
// the name alone, as the host is the registry's.
constexpr std::size_t kMaxImageNameLength = 255;

bool matches(const std::string& text, const char* pattern) {
    return std::regex_match(text, std::regex(pattern));
}

std::string quoted(const std::string& text) {
    return "'" + text + "'";
}

}  // namespace

std::optional<std::string> image_name_problem(const std::string& name) {
    if (name.size() > kMaxImageNameLength || !is_image_name(name)) {
        return quoted(name) +
               " is not a valid image name: use lowercase letters and digits, separated by '.', '_', '__' or '-', "
               "in components joined by '/'";
    }
    return std::nullopt;
}

std::optional<std::string> image_tag_problem(const std::string& tag) {
    std::string literal = tag;
    for (std::size_t at = literal.find(kBranchPlaceholder); at != std::string::npos;
         at = literal.find(kBranchPlaceholder, at)) {
        literal.replace(at, kBranchPlaceholder.size(), "b");
    }
    const std::size_t brace = literal.find('{');
    if (brace != std::string::npos) {
        const std::size_t close = literal.find('}', brace);
        const std::string placeholder = literal.substr(brace, close == std::string::npos ? 1 : close - brace + 1);
        return "unknown placeholder " + quoted(placeholder) + " in tag " + quoted(tag) + " (only {branch} is replaced)";
    }
    if (!is_image_tag(literal)) {
        return quoted(tag) +
               " is not a valid tag: use at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";
    }
    return std::nullopt;
}

std::optional<std::string> archive_path_problem(const std::string& path) {
    if (path.empty()) {
        return std::string("expected a path relative to the worktree, got an empty string");
    }
    const std::filesystem::path parsed(path);
    if (parsed.is_absolute()) {
        return quoted(path) + " must be a path relative to the worktree";
    }
    for (const std::filesystem::path& part : parsed) {
        if (part == "..") {
            return quoted(path) + " must stay inside the worktree: no '..'";
        }
    }
    return std::nullopt;
}

std::optional<std::string> notify_url_problem(const std::string& url) {
    if (!matches(url, R"(https?://[^/\s]+(/\S*)?)")) {
        return "expected an http:// or https:// URL, got " + quoted(url);
    }
    return std::nullopt;
}

std::optional<std::string> secret_key_problem(const std::string& key) {
    if (!matches(key, "[A-Za-z_][A-Za-z0-9_]*")) {
        return "expected the name of a key in the repo's secrets file (letters, digits and _, not starting with a "
               "digit), got " + quoted(key);
    }
    return std::nullopt;
}

std::optional<std::string> registry_url_problem(const std::string& url) {
    static const char* const kPattern =
        R"(https?://([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:([1-9][0-9]{0,4}))?/?)";
    std::smatch match;
    const std::regex pattern(kPattern);
    if (!std::regex_match(url, match, pattern) || (match[4].matched && std::stoi(match[4].str()) > 65535)) {
        return "expected http://HOST[:PORT] or https://HOST[:PORT] without a path, got " + quoted(url);
    }
    return std::nullopt;
}

std::optional<std::string> env_name_problem(const std::string& name) {
    if (!is_env_name(name)) {
        return quoted(name) + " is not a valid environment variable name: use letters, digits and '_'";
    }
    if (is_build_variable(name)) {
        return quoted(name) + " is set by kiln for every build and cannot be overridden";
    }
    return std::nullopt;
}

std::optional<std::string> search_path_problem(const std::string& path) {
    static const std::string kExpected = "expected absolute directories joined by ':'";
    if (path.empty()) {
        return kExpected + ", got an empty string";
    }
    for (const std::string& entry : split(path, ':')) {
        if (entry.empty()) {
            return kExpected + ", got an empty entry in " + quoted(path) + " (it would search the worktree)";
        }
        if (entry.front() != '/') {
            return kExpected + ", got " + quoted(entry) + " in " + quoted(path);
        }
    }
    return std::nullopt;
}

std::optional<std::string> make_target_problem(const std::string& target) {
    if (target.empty() || target.front() == '-' || target.find('=') != std::string::npos ||
        target.find_first_of(" \t\n\r") != std::string::npos) {
        return quoted(target) + " is not a make target: no spaces or '=', not starting with '-'";
    }
    return std::nullopt;
}

std::optional<std::string> branch_glob_problem(const std::string& glob) {
    if (glob.empty()) {
        return std::string("expected a branch name or glob, got an empty string");
    }
    if (glob.rfind("refs/", 0) == 0) {
        return quoted(glob) + " is a ref: write the branch name without 'refs/heads/'";
    }
    return std::nullopt;
}

}  // namespace kiln::config

#include "access/role.h"

#include <algorithm>

#include <fnmatch.h>

#include "common/text.h"

namespace kiln::access {
namespace {

constexpr std::size_t kMaxGlobLength = 200;

}  // namespace

std::string to_string(Role role) {
    switch (role) {
    case Role::read:
        return "read";
    case Role::write:
        return "write";
    case Role::admin:
        return "admin";
    }
    return "read";
}

std::optional<Role> parse_role(std::string_view text) {
    for (Role role : {Role::read, Role::write, Role::admin}) {
        if (text == to_string(role)) {
            return role;
        }
    }
    return std::nullopt;
}

bool permits(Role have, Role need) { return static_cast<int>(have) >= static_cast<int>(need); }

bool repo_allowed(const std::vector<std::string>& globs, const std::string& repo) {
    return globs.empty() || std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
               return ::fnmatch(glob.c_str(), repo.c_str(), FNM_PATHNAME) == 0;
           });
}

std::optional<std::string> repo_glob_problem(const std::string& glob) {
    if (glob.empty()) {
        return "repository glob is empty";
    }
    if (glob.size() > kMaxGlobLength) {
        return "repository glob '" + glob + "' is longer than " + std::to_string(kMaxGlobLength) + " characters";
    }
    const bool bad = std::any_of(glob.begin(), glob.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (bad) {
        return "repository glob '" + glob + "' contains a blank or a control character";
    }
    return std::nullopt;
}

std::string describe_repos(const std::vector<std::string>& globs) {
    return globs.empty() ? "every repo" : join(globs, ", ");
}

}  // namespace kiln::access

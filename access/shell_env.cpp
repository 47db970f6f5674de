#include "access/shell_env.h"

#include <algorithm>

#include "common/text.h"

namespace kiln::access {
namespace {

constexpr std::size_t kMaxGitProtocol = 128;

bool item_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

bool valid_item(const std::string& item) {
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == item.size()) {
        return false;
    }
    const std::string key = item.substr(0, equals);
    const std::string value = item.substr(equals + 1);
    return std::all_of(key.begin(), key.end(), item_char) && std::all_of(value.begin(), value.end(), item_char);
}

}  // namespace

bool valid_git_protocol(std::string_view value) {
    if (value.empty() || value.size() > kMaxGitProtocol) {
        return false;
    }
    const std::vector<std::string> items = split(value, ':');
    const std::string& version = items.front();
    const bool numbered = version.size() > 8 && version.starts_with("version=") &&
                          std::all_of(version.begin() + 8, version.end(), [](char c) { return c >= '0' && c <= '9'; });
    return numbered && std::all_of(items.begin(), items.end(), valid_item);
}

std::optional<std::string> client_sent_variable(const std::vector<std::string>& env) {
    for (const std::string& entry : env) {
        const std::string name = entry.substr(0, entry.find('='));
        const std::string value = entry.size() > name.size() ? entry.substr(name.size() + 1) : "";
        if (name == "GIT_PROTOCOL" && valid_git_protocol(value)) {
            continue;
        }
        if (name.starts_with("GIT_") || name.starts_with("KILN_") || name.starts_with("LD_")) {
            return name;
        }
    }
    return std::nullopt;
}

process::Environment shell_environment(const Account& account, const std::string& path, const std::string& key,
                                       const std::optional<std::string>& git_protocol) {
    process::Environment env;
    env.set("PATH", path);
    env.set("HOME", account.home.string());
    env.set("USER", account.name);
    env.set("LOGNAME", account.name);
    env.set("KILN_PUSHED_BY", key);
    if (git_protocol && valid_git_protocol(*git_protocol)) {
        env.set("GIT_PROTOCOL", *git_protocol);
    }
    return env;
}

}  // namespace kiln::access

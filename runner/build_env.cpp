#include "runner/build_env.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string_view>

#include <pwd.h>
#include <unistd.h>

extern char** environ;

namespace kiln::runner {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

void copy_if_set(const Environment& from, Environment& to, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (const auto found = from.find(name); found != from.end()) {
            to[name] = found->second;
        }
    }
}

/// HOME, USER and LOGNAME of the runner's user, for a runner started without
/// them (systemd services without User= have no USER).
void fill_from_passwd(Environment& env) {
    if (env.count("HOME") != 0 && env.count("USER") != 0 && env.count("LOGNAME") != 0) {
        return;
    }
    passwd entry{};
    passwd* found = nullptr;
    std::string buffer(16384, '\0');
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
        return;
    }
    env.try_emplace("HOME", found->pw_dir);
    env.try_emplace("USER", found->pw_name);
    env.try_emplace("LOGNAME", found->pw_name);
}

}  // namespace

Environment current_environment() {
    Environment env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals != std::string_view::npos && equals > 0) {
            env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
        }
    }
    return env;
}

std::string registry_host(const std::string& registry_url) {
    std::string_view host = registry_url;
    if (const auto scheme = host.find("://"); scheme != std::string_view::npos) {
        host.remove_prefix(scheme + 3);
    }
    if (const auto slash = host.find('/'); slash != std::string_view::npos) {
        host = host.substr(0, slash);
    }
    return std::string(host);
}

std::string image_name(const std::string& repo, const config::RepoConfig& repo_config) {
    if (repo_config.image && !repo_config.image->name.empty()) {
        return repo_config.image->name;
    }
    std::string name = repo;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

Environment build_environment(const Environment& runner_env, const config::Config& config,
                              const config::RepoConfig& repo_config, const BuildIdentity& build,
                              const std::map<std::string, std::string>& secrets) {
    Environment env;
    copy_if_set(runner_env, env, {"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "TZ", "TMPDIR"});
    env.try_emplace("PATH", kDefaultPath);
    env.try_emplace("SHELL", "/bin/sh");
    env.try_emplace("LANG", "C.UTF-8");
    fill_from_passwd(env);

    for (const auto& [key, value] : repo_config.env) {
        env[key] = value;
    }
    for (const auto& [key, value] : secrets) {
        env[key] = value;
    }

    const std::string registry = registry_host(config.registry.url);
    env["KILN_REPO"] = build.repo;
    env["KILN_BRANCH"] = build.branch;
    env["KILN_REF"] = build.ref;
    env["KILN_SHA"] = build.sha;
    env["KILN_BUILD"] = std::to_string(build.number);
    env["REGISTRY"] = registry;
    env["IMAGE"] = registry + "/" + image_name(build.repo, repo_config) + ":" + build.sha;
    return env;
}

}  // namespace kiln::runner

#include "runner/build_env.h"

#include <cerrno>
#include <vector>

#include <pwd.h>
#include <unistd.h>

#include "common/build_variables.h"
#include "common/text.h"
#include "registry-client/reference.h"

namespace kiln::runner {

BuildUser current_build_user() {
    BuildUser user;
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    int rc = 0;
    while ((rc = ::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found)) == ERANGE) {
        buffer.resize(buffer.size() * 2);
    }
    if (rc != 0 || found == nullptr) {
        return user;
    }
    user.name = found->pw_name;
    user.home = found->pw_dir;
    if (found->pw_shell != nullptr && *found->pw_shell != '\0') {
        user.shell = found->pw_shell;
    }
    return user;
}

std::string image_name(const std::string& repo, const config::RepoConfig& repo_config) {
    if (repo_config.image && !repo_config.image->name.empty()) {
        return repo_config.image->name;
    }
    return lowercase(repo);
}

Environment build_environment(const config::Config& config, const config::RepoConfig& repo_config,
                              const queue::BuildIdentity& build, const std::map<std::string, std::string>& secrets,
                              const BuildUser& user) {
    Environment env{{"PATH", config.runner.path}, {"SHELL", user.shell}, {"LANG", "C.UTF-8"}};
    if (!user.name.empty()) {
        env["HOME"] = user.home;
        env["USER"] = user.name;
        env["LOGNAME"] = user.name;
    }

    for (const auto& [key, value] : repo_config.env) {
        env[key] = value;
    }
    for (const auto& [key, value] : secrets) {
        env[key] = value;
    }

    const std::string registry = registry::host_of_url(config.registry.url);
    env["KILN_REPO"] = build.repo;
    env["KILN_BRANCH"] = build.branch();
    env["KILN_REF"] = build.ref;
    env["KILN_SHA"] = build.sha;
    env["KILN_BUILD"] = std::to_string(build.number);
    env[kRegistryVariable] = registry;
    env[kImageVariable] = registry + "/" + image_name(build.repo, repo_config) + ":" + build.sha;
    return env;
}

}  // namespace kiln::runner

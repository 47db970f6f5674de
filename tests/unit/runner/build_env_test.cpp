#include <catch2/catch.hpp>

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner/build_env.h"

using kiln::runner::Environment;

namespace {

kiln::queue::BuildIdentity identity() {
    return {"Team/App", 42, "refs/heads/main", std::string(40, 'a'), kiln::queue::kTriggerPush, {}};
}

}  // namespace

TEST_CASE("build_environment is the documented base plus kiln's variables, nothing else", "[build_env]") {
    kiln::config::Config config;
    config.registry.url = "http://127.0.0.1:5000";
    const Environment env = kiln::runner::build_environment(config, {}, identity(), {}, {"kiln", "/home/kiln", "/bin/bash"});
    CHECK(env == Environment{{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                             {"HOME", "/home/kiln"},
                             {"USER", "kiln"},
                             {"LOGNAME", "kiln"},
                             {"SHELL", "/bin/bash"},
                             {"LANG", "C.UTF-8"},
                             {"KILN_REPO", "Team/App"},
                             {"KILN_BRANCH", "main"},
                             {"KILN_REF", "refs/heads/main"},
                             {"KILN_SHA", std::string(40, 'a')},
                             {"KILN_BUILD", "42"},
                             {"REGISTRY", "127.0.0.1:5000"},
                             {"IMAGE", "127.0.0.1:5000/team/app:" + std::string(40, 'a')}});
}

TEST_CASE("build_environment takes PATH from runner.path, never from the runner", "[build_env]") {
    kiln::config::Config config;
    config.runner.path = "/opt/tools/bin:/usr/bin:/bin";
    const std::string saved = ::getenv("PATH");
    ::setenv("PATH", "/usr/lib/git-core:/weird", 1);
    const Environment env = kiln::runner::build_environment(config, {}, identity(), {}, {"kiln", "/home/kiln", "/bin/sh"});
    ::setenv("PATH", saved.c_str(), 1);
    CHECK(env.at("PATH") == "/opt/tools/bin:/usr/bin:/bin");
}

TEST_CASE("a build user without a password entry gets no HOME, USER or LOGNAME", "[build_env]") {
    const Environment env = build_environment({}, {}, identity(), {}, kiln::runner::BuildUser{});
    CHECK(env.count("HOME") == 0);
    CHECK(env.count("USER") == 0);
    CHECK(env.count("LOGNAME") == 0);
    CHECK(env.at("SHELL") == "/bin/sh");
}

TEST_CASE("the build user is the password entry of the effective uid", "[build_env]") {
    const kiln::runner::BuildUser user = kiln::runner::current_build_user();
    const passwd* entry = ::getpwuid(::geteuid());
    REQUIRE(entry != nullptr);
    CHECK(user.name == entry->pw_name);
    CHECK(user.home == entry->pw_dir);
    CHECK(user.shell == (*entry->pw_shell == '\0' ? "/bin/sh" : entry->pw_shell));
}

TEST_CASE("build_environment layers: repo env, then secrets, then kiln's own variables", "[build_env]") {
    kiln::config::Config config;
    config.registry.url = "https://registry.example:443/";
    kiln::config::RepoConfig repo;
    repo.env = {{"GOFLAGS", "-mod=vendor"}, {"TOKEN", "from-repo"}, {"KILN_SHA", "spoofed"},
                {"PATH", "/go/bin:/usr/bin"}, {"TZ", "Europe/Berlin"}};
    repo.image = kiln::config::ImageConfig{};
    repo.image->name = "apps/web";
    const Environment env =
        kiln::runner::build_environment(config, repo, identity(), {{"TOKEN", "from-secrets"}}, {"kiln", "/home/kiln", "/bin/sh"});
    CHECK(env.at("GOFLAGS") == "-mod=vendor");
    CHECK(env.at("TOKEN") == "from-secrets");
    CHECK(env.at("KILN_SHA") == std::string(40, 'a'));
    CHECK(env.at("PATH") == "/go/bin:/usr/bin");
    CHECK(env.at("TZ") == "Europe/Berlin");
    CHECK(env.at("REGISTRY") == "registry.example:443");
    CHECK(env.at("IMAGE") == "registry.example:443/apps/web:" + std::string(40, 'a'));
    CHECK(env.at("LANG") == "C.UTF-8");
}

#include <catch2/catch.hpp>

#include "runner/build_env.h"

using kiln::runner::Environment;

namespace {

kiln::runner::BuildIdentity identity() {
    return {"Team/App", "main", "refs/heads/main", std::string(40, 'a'), 42};
}

}  // namespace

TEST_CASE("build_environment keeps a few runner variables and never GIT_*", "[build_env]") {
    const Environment runner{{"PATH", "/opt/bin:/usr/bin"}, {"HOME", "/home/kiln"}, {"USER", "kiln"},
                             {"LOGNAME", "kiln"},          {"LANG", "de_DE.UTF-8"}, {"TMPDIR", "/var/tmp"},
                             {"GIT_DIR", "/srv/git/app.git"}, {"GIT_QUARANTINE_PATH", "/x"},
                             {"SSH_CONNECTION", "1 2 3 4"},   {"LD_PRELOAD", "evil.so"}};
    kiln::config::Config config;
    config.registry.url = "http://127.0.0.1:5000";
    const Environment env = build_environment(runner, config, {}, identity(), {});
    CHECK(env == Environment{{"PATH", "/opt/bin:/usr/bin"},
                             {"HOME", "/home/kiln"},
                             {"USER", "kiln"},
                             {"LOGNAME", "kiln"},
                             {"SHELL", "/bin/sh"},
                             {"LANG", "de_DE.UTF-8"},
                             {"TMPDIR", "/var/tmp"},
                             {"KILN_REPO", "Team/App"},
                             {"KILN_BRANCH", "main"},
                             {"KILN_REF", "refs/heads/main"},
                             {"KILN_SHA", std::string(40, 'a')},
                             {"KILN_BUILD", "42"},
                             {"REGISTRY", "127.0.0.1:5000"},
                             {"IMAGE", "127.0.0.1:5000/team/app:" + std::string(40, 'a')}});
}

TEST_CASE("build_environment layers: repo env, then secrets, then kiln's own variables", "[build_env]") {
    kiln::config::Config config;
    config.registry.url = "https://registry.example:443/";
    kiln::config::RepoConfig repo;
    repo.env = {{"GOFLAGS", "-mod=vendor"}, {"TOKEN", "from-repo"}, {"KILN_SHA", "spoofed"}, {"PATH", "/go/bin:/usr/bin"}};
    repo.image = kiln::config::ImageConfig{};
    repo.image->name = "apps/web";
    const Environment env = build_environment({}, config, repo, identity(), {{"TOKEN", "from-secrets"}});
    CHECK(env.at("GOFLAGS") == "-mod=vendor");
    CHECK(env.at("TOKEN") == "from-secrets");
    CHECK(env.at("KILN_SHA") == std::string(40, 'a'));
    CHECK(env.at("PATH") == "/go/bin:/usr/bin");
    CHECK(env.at("REGISTRY") == "registry.example:443");
    CHECK(env.at("IMAGE") == "registry.example:443/apps/web:" + std::string(40, 'a'));
    CHECK(env.at("LANG") == "C.UTF-8");
    CHECK(env.count("HOME") == 1);
}

TEST_CASE("registry_host strips scheme and path", "[build_env]") {
    CHECK(kiln::runner::registry_host("http://127.0.0.1:5000") == "127.0.0.1:5000");
    CHECK(kiln::runner::registry_host("https://buildbox:5000/v2/") == "buildbox:5000");
    CHECK(kiln::runner::registry_host("buildbox:5000") == "buildbox:5000");
}

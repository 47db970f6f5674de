#include <catch2/catch.hpp>

#include "common/error.h"
#include "libgit2/git.h"
#include "config/repo_config_source.h"
#include "tests/support/temp_repo.h"

using namespace std::chrono_literals;
using kiln::config::load_repo_config;
using kiln::config::RepoConfig;

TEST_CASE(".kiln.yml is read from the pushed commit, not from a checkout", "[config][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    RepoConfig defaults;
    defaults.targets = {"all"};

    const std::string first = repo.commit("main", {{".kiln.yml", "timeout: 5m\n"}, {"Makefile", "build:\n"}});
    const std::string second = repo.commit("main", {{".kiln.yml", "timeout: 7m\nbranches: [dev]\n"}});
    const std::string none = repo.commit("other", {{"Makefile", "build:\n"}});

    const RepoConfig at_first = load_repo_config(repo.path(), first, defaults);
    CHECK(at_first.timeout == 5min);
    CHECK(at_first.targets == std::vector<std::string>{"all"});
    CHECK(at_first.branches == std::vector<std::string>{"main", "master"});

    const RepoConfig at_second = load_repo_config(repo.path(), second, defaults);
    CHECK(at_second.timeout == 7min);
    CHECK(at_second.branches == std::vector<std::string>{"dev"});

    SECTION("no .kiln.yml gives the defaults") {
        const RepoConfig at_none = load_repo_config(repo.path(), none, defaults);
        CHECK(at_none.targets == std::vector<std::string>{"all"});
        CHECK_FALSE(at_none.timeout);
    }
    SECTION("a root read once serves any label") {
        const kiln::git_objects::CommitRoot root = kiln::config::read_config_root(repo.path(), second);
        CHECK(kiln::config::repo_config_at(root, "app.git", defaults).timeout == 7min);
    }
    SECTION("a branch name or short id also names the commit") {
        CHECK(load_repo_config(repo.path(), "main", defaults).timeout == 7min);
        CHECK(load_repo_config(repo.path(), first.substr(0, 10), defaults).timeout == 5min);
    }
}

TEST_CASE("errors in a committed .kiln.yml name the repo and the commit", "[config][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("main", {{".kiln.yml", "targets: [build]\ntimout: 5m\nworkspace: new\n"}});
    const std::string where = "repo.git@" + sha.substr(0, 8) + ":.kiln.yml";
    CHECK_THROWS_MATCHES(load_repo_config(repo.path(), sha, {}), kiln::ConfigError,
                         Catch::Message(where + ":2:1: unknown key 'timout' (did you mean 'timeout'?)\n" + where +
                                        ":3:12: workspace: expected 'reuse' or 'fresh', got 'new'"));
    CHECK_THROWS_MATCHES(load_repo_config(repo.path().string() + "/", sha, {}), kiln::ConfigError,
                         Catch::Message(where + ":2:1: unknown key 'timout' (did you mean 'timeout'?)\n" + where +
                                        ":3:12: workspace: expected 'reuse' or 'fresh', got 'new'"));
}

TEST_CASE("a .kiln.yml that is not a file, or misnamed, is refused", "[config][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string directory = repo.commit("dir", {{".kiln.yml/x", "a\n"}});
    CHECK_THROWS_MATCHES(load_repo_config(repo.path(), directory, {}), kiln::ConfigError,
                         Catch::Message("repo.git@" + directory.substr(0, 8) +
                                        ":.kiln.yml: expected a regular file, found a directory"));
    const std::string misnamed = repo.commit("yaml", {{".kiln.yaml", "timeout: 5m\n"}});
    CHECK_THROWS_MATCHES(load_repo_config(repo.path(), misnamed, {}), kiln::ConfigError,
                         Catch::Message("repo.git@" + misnamed.substr(0, 8) +
                                        ":.kiln.yaml: kiln reads .kiln.yml: rename the file"));
    const std::string huge = repo.commit("huge", {{".kiln.yml", "# " + std::string(2'000'000, 'x') + "\n"}});
    CHECK_THROWS_MATCHES(load_repo_config(repo.path(), huge, {}), kiln::ConfigError,
                         Catch::Message("repo.git@" + huge.substr(0, 8) +
                                        ":.kiln.yml: 2000003 bytes is too big for a config (at most 1MiB)"));
}

TEST_CASE("an unknown commit or repository is a git error", "[config][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    repo.commit("main", {{"Makefile", "build:\n"}});
    CHECK_THROWS_AS(load_repo_config(repo.path(), std::string(40, 'f'), {}), kiln::GitError);
    CHECK_THROWS_AS(load_repo_config(repo.path() / "nope.git", "main", {}), kiln::GitError);
}

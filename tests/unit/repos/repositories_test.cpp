#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "libgit2/git.h"
#include "repos/repositories.h"
#include "tests/support/temp_dir.h"

using kiln::repos::HookTarget;

TEST_CASE("the hook stub execs kiln-hook (or kiln) with its config", "[hooks]") {
    CHECK(kiln::repos::post_receive_stub({"/usr/local/bin/kiln-hook", std::filesystem::path("/etc/kiln/it's.yaml")}) ==
          "#!/bin/sh\n"
          "# Installed by `kiln init`; running `kiln init` again rewrites it.\n"
          "exec '/usr/local/bin/kiln-hook' --config '/etc/kiln/it'\\''s.yaml' hook post-receive\n");
    CHECK(kiln::repos::post_receive_stub({"/opt/kiln", std::nullopt}) ==
          "#!/bin/sh\n"
          "# Installed by `kiln init`; running `kiln init` again rewrites it.\n"
          "exec '/opt/kiln' hook post-receive\n");
}

TEST_CASE("init creates a bare repository with push options and an executable hook", "[hooks][git]") {
    const kiln::git::Library libgit2;
    const kiln::test::TempDir root;
    const HookTarget hook{"/usr/local/bin/kiln", std::nullopt};

    const kiln::repos::InitResult created = kiln::repos::init_repository(root.path(), "team/app", hook);
    CHECK(created.created);
    CHECK(created.path == root / "team/app.git");
    const kiln::git::Repository repo = kiln::git::open_repository(created.path.string());
    CHECK(git_repository_is_bare(repo.get()));

    git_config* raw_config = nullptr;
    REQUIRE(git_repository_config_snapshot(&raw_config, repo.get()) == 0);
    const kiln::git::Config config(raw_config);
    int advertise = 0;
    REQUIRE(git_config_get_bool(&advertise, config.get(), "receive.advertisePushOptions") == 0);
    CHECK(advertise == 1);

    struct stat info {};
    REQUIRE(::stat((created.path / "hooks/post-receive").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0755);

    SECTION("init again only refreshes the hook") {
        const HookTarget moved{"/opt/kiln/bin/kiln", std::nullopt};
        const kiln::repos::InitResult again = kiln::repos::init_repository(root.path(), "team/app", moved);
        CHECK_FALSE(again.created);
        CHECK(kiln::read_file(again.path / "hooks/post-receive") == kiln::repos::post_receive_stub(moved));
    }
}

TEST_CASE("repos lists bare repositories one level deep with their newest commit", "[hooks][git]") {
    const kiln::git::Library libgit2;
    const kiln::test::TempDir root;
    const HookTarget hook{"/usr/local/bin/kiln", std::nullopt};
    kiln::repos::init_repository(root.path(), "web", hook);
    kiln::repos::init_repository(root.path(), "team/api", hook);
    std::filesystem::create_directories(root / "not-a-repo");

    const std::vector<kiln::repos::RepositorySummary> repos = kiln::repos::list_repositories(root.path());
    REQUIRE(repos.size() == 2);
    CHECK(repos[0].name == "team/api");
    CHECK(repos[1].name == "web");
    CHECK_FALSE(repos[1].newest_sha);
    CHECK(repos[1].size_bytes > 0);
    CHECK(kiln::repos::list_repositories(root / "missing").empty());
}

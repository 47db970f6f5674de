#include <catch2/catch.hpp>

#include "common/error.h"
#include "libgit2/git.h"
#include "queue/build_record.h"
#include "runner/rebuild.h"
#include "tests/support/temp_repo.h"
#include "tests/unit/runner/runner_fixture.h"

TEST_CASE("rebuild resolves a branch, a commit, or the last build's branch", "[rebuild]") {
    const kiln::git::Library libgit2;
    const kiln::test::StateFixture state;
    kiln::test::TempRepo repo;
    const std::string first = repo.commit("main", {{"Makefile", "build:\n\ttrue\n"}});
    const std::string second = repo.commit("main", {{"Makefile", "build:\n\tfalse\n"}});
    const std::string feature = repo.commit("feature", {{"a", "b"}});

    SECTION("a branch builds its tip") {
        const kiln::queue::BuildIdentity target =
            kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), "feature");
        CHECK(target.ref == "refs/heads/feature");
        CHECK(target.sha == feature);
    }
    SECTION("no argument and no builds: main") {
        const kiln::queue::BuildIdentity target =
            kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), "");
        CHECK(target.ref == "refs/heads/main");
        CHECK(target.sha == second);
    }
    SECTION("no argument, no builds, only master: master") {
        kiln::test::TempRepo master_repo;
        const std::string tip = master_repo.commit("master", {{"Makefile", "build:\n\ttrue\n"}});
        const kiln::queue::BuildIdentity target =
            kiln::runner::resolve_rebuild_target(state.layout, "app", master_repo.path(), "");
        CHECK(target.ref == "refs/heads/master");
        CHECK(target.sha == tip);
    }
    SECTION("no argument: the branch of the newest build") {
        state.queue("app", "feature");
        CHECK(kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), "").sha == feature);
    }
    SECTION("an old commit by short sha builds that commit, without a branch") {
        const kiln::queue::BuildIdentity target =
            kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), first.substr(0, 10));
        CHECK(target.sha == first);
        CHECK(target.ref.empty());
    }
    SECTION("a branch tip given by sha builds as that branch") {
        const kiln::queue::BuildIdentity target =
            kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), second);
        CHECK(target.ref == "refs/heads/main");
    }
    SECTION("an unknown name says so") {
        REQUIRE_THROWS_AS(kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), "nope"),
                          kiln::UsageError);
        REQUIRE_THROWS_WITH(kiln::runner::resolve_rebuild_target(state.layout, "app", repo.path(), "nope"),
                            "resolving 'nope' in app: no branch or commit of that name");
    }
}

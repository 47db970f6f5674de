#include <catch2/catch.hpp>

#include <sstream>

#include "libgit2/git.h"
#include "hooks/post_receive.h"
#include "queue/build_record.h"
#include "queue/queue.h"
#include "queue/state_layout.h"
#include "tests/support/temp_dir.h"
#include "tests/support/temp_repo.h"

using kiln::hooks::HookInput;
using kiln::hooks::PushOptions;
using kiln::hooks::RefUpdate;

namespace {

const std::string kZero(40, '0');

RefUpdate update(const std::string& ref, const std::string& sha, const std::string& old_sha = kZero) {
    return RefUpdate{old_sha, sha, ref, 1};
}

kiln::config::Config config_for(const kiln::test::TempRepo& repo) {
    kiln::config::Config config;
    config.git_root = repo.path().parent_path();
    config.state_dir = repo.path().parent_path() / "state";
    return config;
}

}  // namespace

TEST_CASE("only branches selected by .kiln.yml of the pushed commit are built", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::config::Config config = config_for(repo);
    const std::string plain = repo.commit("main", {{"Makefile", "build:\n\techo hi\n"}});
    const std::string feature = repo.commit("feature", {{"README", "x"}});
    const std::string release = repo.commit("release/1", {{".kiln.yml", "branches: [main, \"release/*\"]\n"}, {"GNUmakefile", "build:\n"}});

    HookInput input;
    input.updates = {update("refs/heads/main", plain), update("refs/heads/feature", feature),
                     update("refs/heads/release/1", release), update("refs/tags/v1", plain),
                     update("refs/heads/gone", kZero, plain), update("refs/notes/commits", plain)};
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config, repo.path(), "repo", input, PushOptions{});
    REQUIRE(plan.builds.size() == 2);
    CHECK(plan.builds[0].ref == "refs/heads/main");
    CHECK(plan.builds[0].branch() == "main");
    CHECK(plan.builds[0].sha == plain);
    CHECK(plan.builds[1].branch() == "release/1");
    CHECK(plan.notes == std::vector<std::string>{
                            "branch 'feature' is not in branches (main, master): not building",
                            "refs/tags/v1 is a tag: not building",
                            "refs/heads/gone deleted: nothing to build",
                            "refs/notes/commits is not a branch: not building",
                        });
}

TEST_CASE("without branches set, a push of master builds as one of main does", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("master", {{"Makefile", "build:\n"}});
    HookInput input;
    input.updates = {update("refs/heads/master", sha)};
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, {});
    REQUIRE(plan.builds.size() == 1);
    CHECK(plan.builds[0].branch() == "master");
    CHECK(plan.notes.empty());
}

TEST_CASE("a commit without a Makefile at its root builds nothing", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("main", {{"README", "docs only"}, {"src/Makefile", "build:\n"}});
    HookInput input;
    input.updates = {update("refs/heads/main", sha)};
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, {});
    CHECK(plan.builds.empty());
    CHECK(plan.notes == std::vector<std::string>{"no Makefile in repo main at " + sha.substr(0, 8) + ": nothing to build"});
}

TEST_CASE("a directory named Makefile is no Makefile", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("main", {{"Makefile/build.mk", "build:\n"}, {"makefile/x", ""}});
    HookInput input;
    input.updates = {update("refs/heads/main", sha)};
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, {});
    CHECK(plan.builds.empty());
    CHECK(plan.notes == std::vector<std::string>{"no Makefile in repo main at " + sha.substr(0, 8) +
                                                 " (makefile is a directory, Makefile is a directory): nothing to build"});

    SECTION("while another of make's names is a file, that one is built") {
        const std::string both = repo.commit("main", {{"Makefile/build.mk", "build:\n"}, {"GNUmakefile", "build:\n"}});
        input.updates = {update("refs/heads/main", both, sha)};
        CHECK(kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, {}).builds.size() == 1);
    }
}

TEST_CASE("ci.skip builds nothing; unknown options are named", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("main", {{"Makefile", "build:\n"}});
    HookInput input;
    input.updates = {update("refs/heads/main", sha)};
    PushOptions options;
    options.skip = true;
    options.unknown = {"topic=x"};
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, options);
    CHECK(plan.builds.empty());
    CHECK(plan.notes == std::vector<std::string>{
                            "ignoring unknown push option 'topic=x' (kiln knows ci.skip and kiln.detach)",
                            "ci.skip: not building repo main",
                        });
}

TEST_CASE("an invalid .kiln.yml is reported, and the default branches decide", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("main", {{".kiln.yml", "branchez: [main]\n"}, {"Makefile", "build:\n"}});
    HookInput input;
    input.updates = {update("refs/heads/main", sha)};
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, {});
    CHECK(plan.builds.size() == 1);
    REQUIRE(!plan.notes.empty());
    CHECK(plan.notes[0].find(".kiln.yml:1:1: unknown key 'branchez'") != std::string::npos);
}

TEST_CASE("malformed lines: the first ten are shown, then a count", "[hooks]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    std::string garbage;
    for (int i = 0; i < 1000; ++i) {
        garbage += "garbage " + std::to_string(i) + "\n";
    }
    std::istringstream in(garbage);
    const HookInput input = kiln::hooks::read_hook_input(in);
    const kiln::hooks::PushPlan plan = kiln::hooks::plan_push(config_for(repo), repo.path(), "repo", input, {});
    CHECK(plan.builds.empty());
    REQUIRE(plan.notes.size() == 11);
    CHECK(plan.notes[0] == "ignoring malformed hook input line 1: expected 'OLD NEW REF', got 'garbage 0'");
    CHECK(plan.notes[10] == "ignoring 990 more malformed hook input lines");
}

TEST_CASE("the repository name comes from its path under git_root", "[hooks]") {
    const kiln::test::TempDir root;
    CHECK(kiln::hooks::repo_name_under(root.path(), root / "app.git") == "app");
    CHECK(kiln::hooks::repo_name_under(root.path(), root / "team/app.git") == "team/app");
    CHECK(kiln::hooks::repo_name_under(root.path(), root / "team/app.git/.") == "team/app");
    CHECK_FALSE(kiln::hooks::repo_name_under(root / "git", root / "app.git"));
    CHECK_FALSE(kiln::hooks::repo_name_under(root.path(), root.path()));
    CHECK_FALSE(kiln::hooks::repo_name_under(root.path(), root / "a/b/c.git"));
}

TEST_CASE("a detached push queues durably and says how to follow", "[hooks][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::config::Config config = config_for(repo);
    const std::string sha = repo.commit("main", {{"Makefile", "build:\n"}});

    kiln::hooks::PostReceiveContext context;
    context.config = &config;
    context.repo_path = repo.path();
    context.options.detach = true;
    context.host = "buildbox";
    context.user = "git";
    context.pushed_by = "alice";
    context.start_runner = false;
    std::istringstream in(kZero + " " + sha + " refs/heads/main\nnot-a-line\n");
    std::ostringstream out;
    CHECK(kiln::hooks::run_post_receive(context, in, out, [] { return true; }) == 0);
    CHECK(out.str() ==
          "[kiln] ignoring malformed hook input line 2: expected 'OLD NEW REF', got 'not-a-line'\n"
          "[kiln] build repo#1 queued (follow: ssh git@buildbox kiln logs repo 1 -f)\n"
          "[kiln] kiln.detach: not waiting for the build\n");

    const kiln::queue::StateLayout layout(config.state_dir);
    const kiln::queue::BuildRecord record = kiln::queue::read_record(layout, "repo", 1);
    CHECK(record.status == kiln::queue::BuildStatus::queued);
    CHECK(record.id.sha == sha);
    CHECK(record.id.ref == "refs/heads/main");
    CHECK(record.id.pushed_by == "alice");
    const std::vector<kiln::queue::Job> jobs = kiln::queue::list_queued(layout);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].id.pushed_by == "alice");
}

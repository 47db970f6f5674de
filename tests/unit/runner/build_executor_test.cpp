#include <catch2/catch.hpp>

#include <atomic>
#include <sstream>
#include <thread>

#include <stdlib.h>

#include "common/atomic_file.h"
#include "libgit2/git.h"
#include "runner/build_executor.h"
#include "queue/build_log.h"
#include "runner/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/temp_repo.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using kiln::read_file;
using kiln::queue::BuildLog;
using kiln::runner::BuildOutcome;
using kiln::queue::BuildStatus;

namespace {

/// A bare repo, a state dir and a config, as the runner would have them.
struct Fixture {
    kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    kiln::test::TempDir state;
    kiln::config::Config config;

    Fixture() {
        config.state_dir = state.path();
        config.secrets_dir = state / "secrets";
        config.runner.timeout = 60s;
    }

    kiln::runner::BuildPlan plan(const std::string& sha, int number = 1) const {
        kiln::runner::BuildPlan plan;
        plan.config = &config;
        plan.id = {"app", number, "refs/heads/main", sha, kiln::queue::kTriggerPush, {}};
        plan.repo_path = repo.path();
        plan.repo_config = config.defaults;
        plan.worktree_root = state / "work" / "app";
        plan.kill_grace = 300ms;
        plan.leader_program = KILN_BIN;
        return plan;
    }

    fs::path log_path(int number = 1) const { return state / ("log." + std::to_string(number)); }

    BuildOutcome run(const kiln::runner::BuildPlan& plan, std::uint64_t log_max = 1'000'000,
                     const std::function<bool()>& cancel = [] { return false; }) const {
        kiln::queue::BuildLog log(log_path(plan.id.number), log_max);
        return kiln::runner::execute_build(plan, log, cancel);
    }

    std::string log(int number = 1) const { return read_file(log_path(number)); }
};

/// The log without the timing lines, which vary from run to run, and the
/// sandbox line, which varies from box to box (root gets none; tests/e2e/sandbox_*).
std::string without_times(const std::string& log) {
    std::istringstream in(log);
    std::string kept;
    for (std::string line; std::getline(in, line);) {
        const bool timing = line.rfind("[kiln] checkout ", 0) == 0 || line.find(" done in ") != std::string::npos ||
                            line.rfind("[kiln] sandbox: ", 0) == 0;
        if (!timing) {
            kept += line + "\n";
        }
    }
    return kept;
}

std::vector<pid_t> read_pids(const fs::path& file) {
    std::istringstream in(read_file(file));
    std::vector<pid_t> pids;
    for (pid_t pid = 0; in >> pid;) {
        pids.push_back(pid);
    }
    return pids;
}

}  // namespace

TEST_CASE("execute_build runs make build in the worktree with the build's variables", "[executor][git]") {
    Fixture fixture;
    const std::string sha =
        fixture.repo.commit("main", {{"Makefile", "build:\n\t@echo building $$KILN_REPO#$$KILN_BUILD $$KILN_BRANCH $$KILN_SHA\n"
                                                  "\t@echo image $$IMAGE\n"}});
    const BuildOutcome outcome = fixture.run(fixture.plan(sha, 7));
    CHECK(outcome.status == kiln::queue::BuildStatus::success);
    CHECK(outcome.exit_code == 0);
    CHECK(outcome.reason.empty());
    CHECK(without_times(fixture.log(7)) == "[kiln] $ make build\n"
                                           "building app#7 main " + sha + "\n"
                                           "image 127.0.0.1:5000/app:" + sha + "\n");
    CHECK(fixture.log(7).find("[kiln] checkout " + sha.substr(0, 7) + " into slot 0 (new): 1 files changed in ") !=
          std::string::npos);
    CHECK(fixture.log(7).find("[kiln] make build done in ") != std::string::npos);
}

TEST_CASE("IMAGE and REGISTRY win over the Makefile's own assignments, in the probe too", "[executor][git]") {
    Fixture fixture;
    // A Makefile written for a plain post-receive hook. The rule exists only
    // when kiln's IMAGE wins, so a probe without it would skip the build.
    const std::string sha = fixture.repo.commit(
        "main", {{"Makefile", "IMAGE = localhost:5000/app:latest\nREGISTRY = localhost:5000\n"
                              "ifneq ($(IMAGE),localhost:5000/app:latest)\n"
                              "build:\n\t@echo make: $(IMAGE) $(REGISTRY)\n\t@echo env: $$IMAGE $$REGISTRY\n"
                              "endif\n"}});
    const BuildOutcome outcome = fixture.run(fixture.plan(sha));
    CHECK(outcome.status == kiln::queue::BuildStatus::success);
    CHECK(without_times(fixture.log()) == "[kiln] $ make build\n"
                                          "make: 127.0.0.1:5000/app:" + sha + " 127.0.0.1:5000\n"
                                          "env: 127.0.0.1:5000/app:" + sha + " 127.0.0.1:5000\n");
}

TEST_CASE("a failing target fails the build with make's exit code and stops the rest", "[executor][git]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "test:\n\t@echo testing\nbuild:\n\t@echo oops; exit 3\n"
                                                                      "push:\n\t@echo pushing\n"}});
    auto plan = fixture.plan(sha);
    plan.repo_config.targets = {"test", "build", "push"};
    const BuildOutcome outcome = fixture.run(plan);
    CHECK(outcome.status == kiln::queue::BuildStatus::failed);
    CHECK(outcome.exit_code == 2);
    CHECK(outcome.reason == "make build exited 2");
    CHECK(without_times(fixture.log()) == "[kiln] $ make test\n"
                                          "testing\n"
                                          "[kiln] $ make build\n"
                                          "oops\n"
                                          "make: *** [Makefile:4: build] Error 3\n"
                                          "[kiln] make build exited 2\n");
}

TEST_CASE("no Makefile or no such target: skipped, saying which", "[executor][git]") {
    Fixture fixture;
    SECTION("no Makefile") {
        const std::string sha = fixture.repo.commit("main", {{"README", "hi"}});
        const BuildOutcome outcome = fixture.run(fixture.plan(sha));
        CHECK(outcome.status == kiln::queue::BuildStatus::skipped);
        CHECK(outcome.reason == "no Makefile");
        CHECK(without_times(fixture.log()) == "[kiln] no Makefile in " + sha.substr(0, 7) + "; nothing to build\n");
    }
    SECTION("no target") {
        const std::string sha = fixture.repo.commit("main", {{"GNUmakefile", "test:\n\t@echo testing\n"}});
        const BuildOutcome outcome = fixture.run(fixture.plan(sha));
        CHECK(outcome.status == kiln::queue::BuildStatus::skipped);
        CHECK(outcome.reason == "Makefile has no target 'build'");
        CHECK(without_times(fixture.log()) == "[kiln] Makefile has no target 'build'; nothing to build\n");
    }
    SECTION("one target of two") {
        const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@echo building\n"}});
        auto plan = fixture.plan(sha);
        plan.repo_config.targets = {"build", "push"};
        const BuildOutcome outcome = fixture.run(plan);
        CHECK(outcome.status == kiln::queue::BuildStatus::success);
        CHECK(without_times(fixture.log()) == "[kiln] $ make build\nbuilding\n"
                                              "[kiln] Makefile has no target 'push'; nothing to build\n");
    }
    SECTION("a target whose prerequisite is missing is not skipped") {
        const std::string sha = fixture.repo.commit("main", {{"Makefile", "build: missing.c\n\t@echo never\n"}});
        const BuildOutcome outcome = fixture.run(fixture.plan(sha));
        CHECK(outcome.status == kiln::queue::BuildStatus::failed);
        CHECK(outcome.reason == "make build exited 2");
    }
}

TEST_CASE("asking whether a target exists runs none of its recipe", "[executor][git]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@echo ran >> $(COUNT)\n"}});
    auto plan = fixture.plan(sha);
    plan.repo_config.env["COUNT"] = (fixture.state / "count").string();
    CHECK(fixture.run(plan).status == kiln::queue::BuildStatus::success);
    CHECK(read_file(fixture.state / "count") == "ran\n");
}

TEST_CASE("a build past its timeout is stopped and none of its processes survives", "[executor][git][slow]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit(
        "main", {{"Makefile", "build:\n\tsleep 1000 & echo $$! >> $(PIDS); echo $$$$ >> $(PIDS); sleep 1000\n"}});
    auto plan = fixture.plan(sha);
    plan.repo_config.timeout = 1s;
    plan.repo_config.env["PIDS"] = (fixture.state / "pids").string();
    const BuildOutcome outcome = fixture.run(plan);
    CHECK(outcome.status == kiln::queue::BuildStatus::timeout);
    CHECK(outcome.reason == "timed out after 1s");
    CHECK_FALSE(outcome.exit_code.has_value());
    CHECK(fixture.log().find("[kiln] timed out after 1s; the build was stopped\n") != std::string::npos);
    const std::vector<pid_t> pids = read_pids(fixture.state / "pids");
    REQUIRE(pids.size() == 2);
    for (const pid_t pid : pids) {
        CHECK_FALSE(fs::exists("/proc/" + std::to_string(pid)));
    }
}

TEST_CASE("a cancelled build stops", "[executor][git][slow]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@echo waiting; sleep 1000\n"}});
    // Cancelled once make is under way: a fixed delay raced with the probe
    // and make starting, each under its leader, in a slow (sanitizer) build.
    const BuildOutcome outcome = fixture.run(fixture.plan(sha), 1'000'000, [&fixture] {
        return fixture.log().find("waiting\n") != std::string::npos;
    });
    CHECK(outcome.status == kiln::queue::BuildStatus::cancelled);
    CHECK(outcome.reason == "cancelled");
    // What make says when terminated varies (GNU make 4.3 races with its own
    // children dying): only kiln's lines are fixed.
    const std::string log = without_times(fixture.log());
    const std::string last_line = "\n[kiln] cancelled; the build was stopped\n";
    CHECK(log.rfind("[kiln] $ make build\nwaiting\nmake: *** ", 0) == 0);
    CHECK(log.substr(log.size() - last_line.size()) == last_line);
}

TEST_CASE("the runner's GIT_DIR does not reach make; secrets reach it but not the log", "[executor][git]") {
    Fixture fixture;
    fixture.state.write("secrets/app.env", "# for the registry\nTOKEN='s3cr3t-t0ken'\n");
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@env | sort\n\t@echo token=$$TOKEN\n"}});
    ::setenv("GIT_DIR", "/srv/git/app.git", 1);
    ::setenv("GIT_WORK_TREE", "/", 1);
    const BuildOutcome outcome = fixture.run(fixture.plan(sha));
    ::unsetenv("GIT_DIR");
    ::unsetenv("GIT_WORK_TREE");
    CHECK(outcome.status == kiln::queue::BuildStatus::success);
    const std::string log = fixture.log();
    CHECK(log.find("GIT_") == std::string::npos);
    CHECK(log.find("s3cr3t") == std::string::npos);
    CHECK(log.find("\nTOKEN=***\n") != std::string::npos);
    CHECK(log.find("\ntoken=***\n") != std::string::npos);
    CHECK(log.find("\nKILN_REPO=app\n") != std::string::npos);
    CHECK(log.find("[kiln] 1 secret from " + (fixture.state / "secrets" / "app.env").string() + "\n") != std::string::npos);
}

TEST_CASE("a bad secrets file fails the build naming the line", "[executor][git]") {
    Fixture fixture;
    fixture.state.write("secrets/app.env", "TOKEN\n");
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\ttrue\n"}});
    const BuildOutcome outcome = fixture.run(fixture.plan(sha));
    const std::string expected = (fixture.state / "secrets" / "app.env").string() + ":1: expected KEY=VALUE";
    CHECK(outcome.status == kiln::queue::BuildStatus::failed);
    CHECK(outcome.reason == expected);
    CHECK(without_times(fixture.log()) == "[kiln] error: " + expected + "\n");
}

TEST_CASE("a log past log_max is cut with a marker while the build goes on", "[executor][git]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@seq 1 100000\n\t@touch done\n"}});
    const BuildOutcome outcome = fixture.run(fixture.plan(sha), 10'000);
    CHECK(outcome.status == kiln::queue::BuildStatus::success);
    const std::string log = fixture.log();
    CHECK(log.size() < 10'300);
    CHECK(log.find("[kiln] log truncated at 10kB (runner.log_max); the build goes on\n") != std::string::npos);
    CHECK(log.find("[kiln] make build done in ") != std::string::npos);
    CHECK(fs::exists(fixture.state / "work" / "app" / "0" / "done"));
}

TEST_CASE("the next build in a reused worktree sees nothing the last one left", "[executor][git]") {
    Fixture fixture;
    const std::string makefile = "build:\n\t@test ! -e out/image.tar && test ! -e notes.txt\n"
                                 "\t@mkdir -p out && touch out/image.tar notes.txt\n";
    const std::string first = fixture.repo.commit("main", {{".gitignore", "out/\n"}, {"Makefile", makefile}});
    const std::string second = fixture.repo.commit("main", {{".gitignore", "out/\n"}, {"Makefile", makefile}, {"v", "2"}});
    CHECK(fixture.run(fixture.plan(first, 1)).status == kiln::queue::BuildStatus::success);
    CHECK(fixture.run(fixture.plan(second, 2)).status == kiln::queue::BuildStatus::success);
    CHECK(fixture.log(2).find("into slot 0: ") != std::string::npos);
}

TEST_CASE("a fresh workspace is gone after the build", "[executor][git]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@pwd\n"}});
    auto plan = fixture.plan(sha);
    plan.repo_config.workspace = kiln::config::Workspace::fresh;
    CHECK(fixture.run(plan).status == kiln::queue::BuildStatus::success);
    CHECK(fixture.log().find(plan.worktree_root.string() + "/fresh-") != std::string::npos);
    CHECK(fs::is_empty(plan.worktree_root));
}

TEST_CASE("a commit that does not exist fails the build", "[executor][git]") {
    Fixture fixture;
    fixture.repo.commit("main", {{"Makefile", "build:\n\ttrue\n"}});
    const std::string missing(40, 'c');
    const BuildOutcome outcome = fixture.run(fixture.plan(missing));
    const std::string expected = "checking out ccccccc: no commit " + missing + " in '" + fixture.repo.path().string() + "'";
    CHECK(outcome.status == kiln::queue::BuildStatus::failed);
    CHECK(outcome.reason == expected);
    CHECK(fixture.log() == "[kiln] error: " + expected + "\n");
}

TEST_CASE("after_make sees what make wrote, and its outcome replaces success", "[executor][git]") {
    Fixture fixture;
    const std::string sha = fixture.repo.commit("main", {{"Makefile", "build:\n\t@mkdir -p out && echo tar > out/image.tar\n"}});
    auto plan = fixture.plan(sha);
    plan.repo_config.workspace = kiln::config::Workspace::fresh;
    std::string seen;
    plan.after_make = [&seen](const fs::path& worktree, std::chrono::steady_clock::time_point) -> std::optional<BuildOutcome> {
        seen = read_file(worktree / "out" / "image.tar");
        return BuildOutcome{kiln::queue::BuildStatus::failed, std::nullopt, "pushing the image: registry down"};
    };
    const BuildOutcome outcome = fixture.run(plan);
    CHECK(seen == "tar\n");
    CHECK(outcome.status == kiln::queue::BuildStatus::failed);
    CHECK(outcome.reason == "pushing the image: registry down");
    CHECK(fs::is_empty(plan.worktree_root));
}

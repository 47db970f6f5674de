#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "queue/build_record.h"
#include "queue/cancel.h"
#include "queue/record_life.h"
#include "queue/queue.h"
#include "runner/runner.h"
#include "queue/runner_lock.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;
using kiln::queue::Job;
using kiln::runner::JobResult;
using namespace std::chrono_literals;

namespace {

kiln::config::Config config_for(const kiln::test::StateFixture& state, int jobs = 2) {
    kiln::config::Config config;
    config.state_dir = state.layout.root();
    config.git_root = state.dir.path();
    config.runner.jobs = jobs;
    config.runner.keep_builds = 100;
    return config;
}

// A stand-in for execute_build that records what ran, concurrently with what.
struct FakeBuilds {
    std::mutex mutex;
    std::vector<std::string> started;
    int running = 0;
    int most_at_once = 0;
    std::map<std::string, int> running_per_branch;
    bool branch_overlap = false;
    std::chrono::milliseconds duration{100ms};

    kiln::runner::JobRunner runner() {
        return [this](const kiln::config::Config&, const kiln::queue::Job& job, int, const std::function<bool()>& cancel) {
            {
                const std::lock_guard lock(mutex);
                started.push_back(job.id.repo + "#" + std::to_string(job.id.number));
                most_at_once = std::max(most_at_once, ++running);
                branch_overlap |= ++running_per_branch[job.branch_key()] > 1;
            }
            JobResult result;
            result.status = kiln::queue::BuildStatus::success;
            result.exit_code = 0;
            result.targets = {"build"};
            const auto end = std::chrono::steady_clock::now() + duration;
            while (std::chrono::steady_clock::now() < end) {
                if (cancel()) {
                    result.status = kiln::queue::BuildStatus::cancelled;
                    result.exit_code.reset();
                    break;
                }
                std::this_thread::sleep_for(10ms);
            }
            const std::lock_guard lock(mutex);
            --running;
            --running_per_branch[job.branch_key()];
            return result;
        };
    }
};

kiln::queue::BuildStatus status_of(const kiln::test::StateFixture& state, const std::string& repo, int number) {
    return kiln::queue::read_record(state.layout, repo, number).status;
}

bool wait_for_status(const kiln::test::StateFixture& state, const std::string& repo, int number, kiln::queue::BuildStatus status) {
    for (int i = 0; i < 500; ++i) {
        if (status_of(state, repo, number) == status) {
            return true;
        }
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

}  // namespace

TEST_CASE("runner --once builds the queue: jobs at once, one per branch, older pushes superseded", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main");     // app#1: superseded by #3
    state.queue("app", "feature");  // app#2
    state.queue("app", "main");     // app#3
    state.queue("web", "main");     // web#1
    state.queue("api", "main");     // api#1
    FakeBuilds builds;
    kiln::runner::RunnerOptions options;
    options.once = true;
    REQUIRE(kiln::runner::run_runner(config_for(state, 2), options, builds.runner()) == 0);

    CHECK(builds.started.size() == 4);
    CHECK(builds.most_at_once == 2);
    CHECK_FALSE(builds.branch_overlap);
    const kiln::queue::BuildRecord superseded = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(superseded.status == kiln::queue::BuildStatus::superseded);
    CHECK(superseded.reason == "superseded by #3");
    for (const auto& [repo, number] : std::vector<std::pair<std::string, int>>{{"app", 2}, {"app", 3}, {"web", 1}, {"api", 1}}) {
        const kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, repo, number);
        CHECK(record.status == kiln::queue::BuildStatus::success);
        CHECK(record.exit_code == 0);
        CHECK(record.started_at.has_value());
        CHECK(record.finished_at.has_value());
        CHECK(record.targets == std::vector<std::string>{"build"});
        CHECK(record.reason.empty());
    }
    CHECK(kiln::queue::list_queued(state.layout).empty());
    CHECK(kiln::queue::list_claimed(state.layout).empty());
    CHECK_FALSE(kiln::queue::runner_running(state.layout));
}

TEST_CASE("a runner builds one branch's pushes one after the other", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main");
    FakeBuilds builds;
    builds.duration = 300ms;
    kiln::runner::RunnerOptions options;
    options.once = true;
    std::thread runner([&] { kiln::runner::run_runner(config_for(state, 4), options, builds.runner()); });
    REQUIRE(wait_for_status(state, "app", 1, kiln::queue::BuildStatus::running));
    state.queue("app", "main");  // arrives while #1 builds: waits, then runs
    runner.join();
    CHECK(builds.started == std::vector<std::string>{"app#1", "app#2"});
    CHECK_FALSE(builds.branch_overlap);
    CHECK(status_of(state, "app", 2) == kiln::queue::BuildStatus::success);
}

TEST_CASE("a second runner exits at once while one holds the lock", "[runner]") {
    const kiln::test::StateFixture state;
    const std::optional<kiln::queue::RunnerLock> lock = kiln::queue::RunnerLock::try_acquire(state.layout);
    REQUIRE(lock);
    state.queue("app");
    FakeBuilds builds;
    CHECK(kiln::runner::run_runner(config_for(state), {}, builds.runner()) == 0);
    CHECK(builds.started.empty());
    CHECK(status_of(state, "app", 1) == kiln::queue::BuildStatus::queued);
}

TEST_CASE("at start a runner recovers a dead runner's build and builds it again", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    kiln::queue::Job job = kiln::queue::list_queued(state.layout).at(0);
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
    record.status = kiln::queue::BuildStatus::running;
    kiln::queue::write_record(state.layout, record);

    FakeBuilds builds;
    kiln::runner::RunnerOptions options;
    options.once = true;
    REQUIRE(kiln::runner::run_runner(config_for(state), options, builds.runner()) == 0);
    CHECK(status_of(state, "app", 1) == kiln::queue::BuildStatus::interrupted);
    CHECK(status_of(state, "app", 2) == kiln::queue::BuildStatus::success);
    CHECK(kiln::queue::read_record(state.layout, "app", 2).id.trigger == "retry of #1");
    CHECK(builds.started == std::vector<std::string>{"app#2"});
}

TEST_CASE("a push made after an interrupted build wins over its retry", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main", std::string(40, 'a'));
    kiln::queue::Job job = kiln::queue::list_queued(state.layout).at(0);
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
    record.status = kiln::queue::BuildStatus::running;
    kiln::queue::write_record(state.layout, record);
    state.queue("app", "main", std::string(40, 'b'));  // #2, pushed while #1's runner was dead

    FakeBuilds builds;
    kiln::runner::RunnerOptions options;
    options.once = true;
    REQUIRE(kiln::runner::run_runner(config_for(state), options, builds.runner()) == 0);
    CHECK(status_of(state, "app", 1) == kiln::queue::BuildStatus::interrupted);
    const kiln::queue::BuildRecord retry = kiln::queue::read_record(state.layout, "app", 3);
    CHECK(retry.id.trigger == "retry of #1");
    CHECK(retry.status == kiln::queue::BuildStatus::superseded);
    CHECK(retry.reason == "superseded by #2");
    CHECK(status_of(state, "app", 2) == kiln::queue::BuildStatus::success);
    CHECK(builds.started == std::vector<std::string>{"app#2"});
    CHECK(kiln::queue::pending_notifications(state.layout).empty());
}

TEST_CASE("a retry queued after a newer push already built is superseded, not built", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main", std::string(40, 'a'));  // #1
    state.queue("app", "main", std::string(40, 'b'));  // #2
    kiln::queue::BuildRecord second = kiln::queue::read_record(state.layout, "app", 2);
    second.status = kiln::queue::BuildStatus::success;
    kiln::queue::write_record(state.layout, second);
    kiln::queue::Job second_job = kiln::queue::list_queued(state.layout).at(1);
    REQUIRE(kiln::queue::claim_job(state.layout, second_job));
    kiln::queue::release_job(state.layout, second_job);
    // #3 retries #1 (order 1) and is the only job in the queue.
    kiln::queue::Job first_job = kiln::queue::list_queued(state.layout).at(0);
    REQUIRE(kiln::queue::claim_job(state.layout, first_job));
    kiln::queue::release_job(state.layout, first_job);
    const kiln::queue::BuildIdentity retry{"app", 0, "refs/heads/main", std::string(40, 'a'), "retry of #1", {}};
    REQUIRE(kiln::queue::enqueue_build(state.layout, retry, {}, 1).id.number == 3);

    FakeBuilds builds;
    kiln::runner::RunnerOptions options;
    options.once = true;
    REQUIRE(kiln::runner::run_runner(config_for(state), options, builds.runner()) == 0);
    CHECK(status_of(state, "app", 3) == kiln::queue::BuildStatus::superseded);
    CHECK(kiln::queue::read_record(state.layout, "app", 3).reason == "superseded by #2");
    CHECK(builds.started.empty());
}

TEST_CASE("kiln cancel stops a running build and the runner records it", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    FakeBuilds builds;
    builds.duration = 20s;
    kiln::runner::RunnerOptions options;
    options.once = true;
    std::thread runner([&] { kiln::runner::run_runner(config_for(state), options, builds.runner()); });
    REQUIRE(wait_for_status(state, "app", 1, kiln::queue::BuildStatus::running));
    CHECK(kiln::queue::cancel_build(state.layout, "app", 1).result == kiln::queue::CancelResult::requested);
    runner.join();
    const kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(record.status == kiln::queue::BuildStatus::cancelled);
    CHECK(record.reason == "cancelled (kiln cancel)");
    CHECK_FALSE(kiln::queue::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("SIGTERM: running builds get the grace period, then are cancelled", "[runner][slow]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main");
    state.queue("web", "main");
    FakeBuilds builds;
    builds.duration = 30s;
    kiln::runner::RunnerOptions options;
    options.stop_grace = 1s;
    std::atomic<int> code{-1};
    std::thread runner([&] { code = kiln::runner::run_runner(config_for(state, 1), options, builds.runner()); });
    REQUIRE(wait_for_status(state, "app", 1, kiln::queue::BuildStatus::running));
    const auto signalled = std::chrono::steady_clock::now();
    REQUIRE(::kill(::getpid(), SIGTERM) == 0);
    runner.join();
    const auto took = std::chrono::steady_clock::now() - signalled;
    CHECK(code == 0);
    CHECK(took >= 900ms);
    const kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(record.status == kiln::queue::BuildStatus::cancelled);
    CHECK(record.reason == "runner stopped");
    // Not started: stays queued for the next runner.
    CHECK(status_of(state, "web", 1) == kiln::queue::BuildStatus::queued);
    CHECK(kiln::queue::list_queued(state.layout).size() == 1);
}

TEST_CASE("SIGTERM: a build that ends within the grace period keeps its result", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    FakeBuilds builds;
    builds.duration = 300ms;
    kiln::runner::RunnerOptions options;
    options.stop_grace = 20s;
    std::thread runner([&] { kiln::runner::run_runner(config_for(state), options, builds.runner()); });
    REQUIRE(wait_for_status(state, "app", 1, kiln::queue::BuildStatus::running));
    REQUIRE(::kill(::getpid(), SIGINT) == 0);
    runner.join();
    CHECK(status_of(state, "app", 1) == kiln::queue::BuildStatus::success);
}

TEST_CASE("after each build only runner.keep_builds builds of the repo are kept", "[runner]") {
    const kiln::test::StateFixture state;
    for (int i = 0; i < 5; ++i) {
        kiln::queue::BuildRecord record = state.queue("app", "b" + std::to_string(i));
        if (i < 3) {
            record.status = kiln::queue::BuildStatus::success;
            kiln::queue::write_record(state.layout, record);
            std::filesystem::remove(state.layout.queue_dir() / record.id.label().replace(3, 1, "@").append(".json"));
        }
    }
    FakeBuilds builds;
    builds.duration = 0ms;
    kiln::config::Config config = config_for(state);
    config.runner.keep_builds = 2;
    kiln::runner::RunnerOptions options;
    options.once = true;
    REQUIRE(kiln::runner::run_runner(config, options, builds.runner()) == 0);
    CHECK(kiln::queue::build_numbers(state.layout, "app") == std::vector<int>{4, 5});
}

TEST_CASE("a reason that quotes a secret is masked in build.json, which only its user reads", "[runner]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    state.queue("lib");
    kiln::config::Config config = config_for(state);
    config.secrets_dir = state.dir / "secrets";
    std::filesystem::create_directories(config.secrets_dir);
    kiln::write_file_atomic(config.secrets_dir / "lib.env", "TOKEN=lib-token-42\n");
    const kiln::runner::JobRunner runner = [](const kiln::config::Config&, const Job& job, int,
                                              const std::function<bool()>&) -> JobResult {
        if (job.id.repo == "lib") {
            // An error of kiln's own: the runner reads the secrets to mask it.
            throw kiln::Error("no such file 'out/lib-token-42.txt'");
        }
        JobResult result;
        result.status = BuildStatus::failed;
        result.reason = "make build exited 2: cat: 'hunter2-secret': no such file";
        result.secrets.add("hunter2-secret");
        return result;
    };
    kiln::runner::RunnerOptions options;
    options.once = true;
    REQUIRE(kiln::runner::run_runner(config, options, runner) == 0);
    CHECK(kiln::queue::read_record(state.layout, "app", 1).reason == "make build exited 2: cat: '***': no such file");
    CHECK(kiln::queue::read_record(state.layout, "lib", 1).reason == "no such file 'out/***.txt'");
    CHECK(kiln::read_file(state.layout.log_file("lib", 1)).find("lib-token-42") == std::string::npos);
    struct stat info {};
    REQUIRE(::stat(state.layout.record_file("app", 1).c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

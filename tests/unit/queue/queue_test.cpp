#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "queue/build_record.h"
#include "queue/queue.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;
using kiln::queue::Job;

TEST_CASE("of many claimers of one job exactly one wins", "[queue]") {
    const kiln::test::StateFixture state;
    for (int round = 0; round < 20; ++round) {
        state.queue("app");
    }
    for (const Job& job : kiln::queue::list_queued(state.layout)) {
        std::atomic<int> winners{0};
        std::vector<std::thread> claimers;
        for (int i = 0; i < 4; ++i) {
            claimers.emplace_back([&] {
                if (kiln::queue::claim_job(state.layout, job)) {
                    ++winners;
                }
            });
        }
        for (std::thread& claimer : claimers) {
            claimer.join();
        }
        CHECK(winners == 1);
    }
    CHECK(kiln::queue::list_queued(state.layout).empty());
    CHECK(kiln::queue::list_claimed(state.layout).size() == 20);
}

TEST_CASE("a claimed job can be released or put back", "[queue]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    const Job job = kiln::queue::list_queued(state.layout).at(0);
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    CHECK_FALSE(kiln::queue::claim_job(state.layout, job));
    kiln::queue::unclaim_job(state.layout, job);
    CHECK(kiln::queue::list_queued(state.layout).size() == 1);
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    kiln::queue::release_job(state.layout, job);
    CHECK(kiln::queue::list_claimed(state.layout).empty());
    CHECK(kiln::queue::list_queued(state.layout).empty());
}

TEST_CASE("queued pushes to one branch coalesce into the newest", "[queue]") {
    const kiln::test::StateFixture state;
    const std::string sha(40, 'a');
    state.queue("app", "main", sha, "alice");  // 1
    state.queue("app", "main", sha, "bob");    // 2
    state.queue("app", "feature");             // 3
    state.queue("app", "main", sha, "carol");  // 4
    state.queue("web", "main");      // web 1

    const std::vector<Job> kept = kiln::queue::coalesce_queued(state.layout, kiln::queue::list_queued(state.layout));
    std::vector<std::string> labels;
    for (const Job& job : kept) {
        labels.push_back(job.id.repo + "#" + std::to_string(job.id.number));
    }
    std::sort(labels.begin(), labels.end());
    CHECK(labels == std::vector<std::string>{"app#3", "app#4", "web#1"});
    for (int number : {1, 2}) {
        const kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", number);
        CHECK(record.status == BuildStatus::superseded);
        CHECK(record.reason == "superseded by #4");
        CHECK(record.finished_at.has_value());
    }
    // Each keeps its own pusher: the winner's is not theirs.
    CHECK(kiln::queue::read_record(state.layout, "app", 1).id.pushed_by == "alice");
    CHECK(kiln::queue::read_record(state.layout, "app", 2).id.pushed_by == "bob");
    CHECK(kiln::queue::read_record(state.layout, "app", 4).id.pushed_by == "carol");
    CHECK(kiln::queue::read_record(state.layout, "app", 4).status == BuildStatus::queued);
    CHECK(kiln::queue::list_queued(state.layout).size() == 3);
    CHECK(kiln::queue::list_claimed(state.layout).empty());
}

TEST_CASE("an unreadable job file is left alone, not fatal", "[queue]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    state.dir.write("state/queue/junk@9.json", "{");
    state.dir.write("state/queue/app@7.json.tmp.123", "half");
    CHECK(kiln::queue::list_queued(state.layout).size() == 1);
    CHECK(std::filesystem::exists(state.layout.queue_dir() / "junk@9.json"));
}

namespace {

// A retry of build `number`, as recovery queues it: a new number, the old order.
kiln::queue::BuildRecord queue_retry(const kiln::test::StateFixture& state, int number) {
    const kiln::queue::BuildRecord interrupted = kiln::queue::read_record(state.layout, "app", number);
    kiln::queue::BuildIdentity retry = interrupted.id;
    retry.trigger = "retry of #" + std::to_string(number);
    return kiln::queue::enqueue_build(state.layout, retry, {}, interrupted.order);
}

}  // namespace

TEST_CASE("a retry of an older push never supersedes a newer push", "[queue]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main", std::string(40, 'a'));  // 1: interrupted, say
    state.queue("app", "main", std::string(40, 'b'));  // 2: pushed after it
    REQUIRE(queue_retry(state, 1).id.number == 3);
    kiln::queue::Job first;
    first.id.repo = "app";
    first.id.number = 1;
    REQUIRE(kiln::queue::claim_job(state.layout, first));
    kiln::queue::release_job(state.layout, first);

    const std::vector<Job> kept = kiln::queue::coalesce_queued(state.layout, kiln::queue::list_queued(state.layout));
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].id.number == 2);
    const kiln::queue::BuildRecord retry = kiln::queue::read_record(state.layout, "app", 3);
    CHECK(retry.status == BuildStatus::superseded);
    CHECK(retry.reason == "superseded by #2");
}

TEST_CASE("newer_push finds a newer push to the branch whatever its status", "[queue]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main");     // 1
    state.queue("app", "main");     // 2
    state.queue("app", "feature");  // 3
    kiln::queue::BuildRecord second = kiln::queue::read_record(state.layout, "app", 2);
    second.status = BuildStatus::failed;
    kiln::queue::write_record(state.layout, second);
    const kiln::queue::BuildRecord retry = queue_retry(state, 1);  // 4, order 1

    const std::vector<Job> queued = kiln::queue::list_queued(state.layout);
    const auto job_of = [&](int number) {
        return *std::find_if(queued.begin(), queued.end(), [&](const Job& job) { return job.id.number == number; });
    };
    CHECK(kiln::queue::newer_push(state.layout, job_of(retry.id.number)) == std::optional<int>(2));
    CHECK(kiln::queue::newer_push(state.layout, job_of(3)) == std::nullopt);
    CHECK(kiln::queue::newer_push(state.layout, job_of(1)) == std::optional<int>(2));
}

TEST_CASE("a record without an order is its own push", "[queue]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main");
    state.dir.write("state/builds/app/1/build.json",
                    R"({"repo": "app", "number": 1, "ref": "refs/heads/main", "branch": "main", "sha": ")" +
                        std::string(40, 'a') + R"(", "status": "queued"})");
    CHECK(kiln::queue::read_record(state.layout, "app", 1).order == 1);
}

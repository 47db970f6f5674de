#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/atomic_file.h"
#include "queue/log_follow.h"
#include "queue/queue.h"
#include "queue/runner_lock.h"
#include "tests/support/small_tmpfs.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;
using kiln::queue::FollowEnd;
using namespace std::chrono_literals;

TEST_CASE("follow_build streams every byte and returns at the final status", "[log_follow]") {
    const kiln::test::StateFixture state;
    kiln::queue::BuildRecord record = state.queue("app");
    std::string expected;
    for (int i = 0; i < 2000; ++i) {
        expected += "line " + std::to_string(i) + " of the build\n";
    }
    std::thread writer([&] {
        std::ofstream log(state.layout.log_file("app", 1), std::ios::app);
        kiln::queue::BuildRecord running = record;
        running.status = BuildStatus::running;
        kiln::queue::write_record(state.layout, running);
        for (std::size_t at = 0; at < expected.size(); at += 4096) {
            log << expected.substr(at, 4096) << std::flush;
            std::this_thread::sleep_for(2ms);
        }
        running.status = BuildStatus::failed;
        kiln::queue::write_record(state.layout, running);
    });
    std::ostringstream out;
    const kiln::queue::FollowResult result =
        kiln::queue::follow_build(state.layout, "app", 1, out, [] { return true; });
    writer.join();
    CHECK(result.record.status == BuildStatus::failed);
    CHECK(result.end == FollowEnd::final);
    CHECK(out.str() == expected);
    CHECK(kiln::queue::follow_exit_code(result) == 3);
}

TEST_CASE("follow_build of a finished build prints the log and returns", "[log_follow]") {
    const kiln::test::StateFixture state;
    kiln::queue::BuildRecord record = state.queue("app");
    std::ofstream(state.layout.log_file("app", 1)) << "all done\n";
    record.status = BuildStatus::success;
    kiln::queue::write_record(state.layout, record);
    std::ostringstream out;
    CHECK(kiln::queue::follow_build(state.layout, "app", 1, out, [] { return true; }).record.status ==
          BuildStatus::success);
    CHECK(out.str() == "all done\n");
    CHECK(kiln::queue::follow_exit_code(BuildStatus::success) == 0);
    CHECK(kiln::queue::follow_exit_code(BuildStatus::skipped) == 0);
    CHECK(kiln::queue::follow_exit_code(BuildStatus::superseded) == 3);
}

TEST_CASE("follow_build shows a build's escape sequences instead of sending them", "[log_follow]") {
    const kiln::test::StateFixture state;
    kiln::queue::BuildRecord record = state.queue("app");
    const std::string raw = "\x1b]52;c;aGk=\a\x1b[2Jdone\r\n";
    std::ofstream(state.layout.log_file("app", 1)) << raw;
    record.status = BuildStatus::success;
    kiln::queue::write_record(state.layout, record);
    std::ostringstream out;
    kiln::queue::follow_build(state.layout, "app", 1, out, [] { return true; });
    CHECK(out.str() == "^[]52;c;aGk=^G^[[2Jdone\r\n");
    CHECK(kiln::read_file(state.layout.log_file("app", 1)) == raw);
}

TEST_CASE("follow_build stops when told to, leaving the build alone", "[log_follow]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    std::ofstream(state.layout.log_file("app", 1)) << "started\n";
    std::ostringstream out;
    int calls = 0;
    const kiln::queue::FollowResult result =
        kiln::queue::follow_build(state.layout, "app", 1, out, [&] { return ++calls < 3; });
    CHECK(result.record.status == BuildStatus::queued);
    CHECK(result.end == FollowEnd::left);
    CHECK(kiln::queue::follow_exit_code(result) == 2);
    CHECK(out.str() == "started\n");
    // It stopped at the first no: the build's end was never waited for.
    CHECK(calls == 3);
}

TEST_CASE("follow_build stops when its output fails", "[log_follow]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    std::ofstream(state.layout.log_file("app", 1)) << "started\n";
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    CHECK(kiln::queue::follow_build(state.layout, "app", 1, out, [] { return true; }).end == FollowEnd::left);
}

TEST_CASE("following a build that does not exist says so", "[log_follow]") {
    const kiln::test::StateFixture state;
    std::ostringstream out;
    REQUIRE_THROWS_WITH(kiln::queue::follow_build(state.layout, "app", 3, out, [] { return true; }),
                        "reading build app#3: no such build");
}

namespace {

// A follower that gives up after a second of standing still, not ten.
const kiln::queue::FollowOptions kQuickStall{std::chrono::milliseconds(1000)};

kiln::queue::BuildRecord start(const kiln::test::StateFixture& state, kiln::queue::BuildRecord record) {
    REQUIRE(kiln::queue::claim_job(state.layout, kiln::queue::job_for(record, {})));
    record.status = BuildStatus::running;
    kiln::queue::write_record(state.layout, record);
    return record;
}

}  // namespace

TEST_CASE("a running build whose runner died ends the follow with a line that says so", "[log_follow]") {
    const kiln::test::StateFixture state;
    start(state, state.queue("app"));
    std::ostringstream out;
    const kiln::queue::FollowResult result =
        kiln::queue::follow_build(state.layout, "app", 1, out, [] { return true; }, kQuickStall);
    CHECK(result.end == FollowEnd::runner_gone);
    CHECK(kiln::queue::follow_exit_code(result) == 2);
    CHECK(kiln::queue::stalled_line(state.layout, result, "kiln show app 1") ==
          "[kiln] app#1 interrupted: its runner died while it ran; the next runner queues it again: kiln show app 1");
}

TEST_CASE("a quiet build of a live runner is followed on", "[log_follow]") {
    const kiln::test::StateFixture state;
    start(state, state.queue("app"));
    const std::optional<kiln::queue::RunnerLock> lock = kiln::queue::RunnerLock::try_acquire(state.layout);
    REQUIRE(lock);
    std::ostringstream out;
    const auto until = std::chrono::steady_clock::now() + 3s;
    const kiln::queue::FollowResult result = kiln::queue::follow_build(
        state.layout, "app", 1, out, [&] { return std::chrono::steady_clock::now() < until; }, kQuickStall);
    CHECK(result.end == FollowEnd::left);
    CHECK_FALSE(kiln::queue::stalled_line(state.layout, result, "kiln show app 1"));
}

TEST_CASE("a build on a full disk ends the follow with a line that says so", "[log_follow]") {
    if (const std::optional<std::string> reason = kiln::test::SmallTmpfs::cannot_mount()) {
        WARN("skipped: " << *reason);
        return;
    }
    const kiln::test::StateFixture state;
    const kiln::test::SmallTmpfs disk(state.layout.root(), 256 * 1024);
    start(state, state.queue("app"));
    const std::optional<kiln::queue::RunnerLock> lock = kiln::queue::RunnerLock::try_acquire(state.layout);
    REQUIRE(lock);
    std::ofstream(state.layout.log_file("app", 1)) << "building\n";
    disk.fill();
    std::ostringstream out;
    const kiln::queue::FollowResult result =
        kiln::queue::follow_build(state.layout, "app", 1, out, [] { return true; }, kQuickStall);
    CHECK(out.str() == "building\n");
    CHECK(result.end == FollowEnd::disk_full);
    CHECK(result.record.status == BuildStatus::running);
    CHECK(kiln::queue::follow_exit_code(result) == 2);
    CHECK(kiln::queue::stalled_line(state.layout, result, "kiln show app 1") ==
          "[kiln] app#1: kiln cannot write to " + state.layout.root().string() +
              " (No space left on device); its result is recorded once space is freed: kiln show app 1");
}

TEST_CASE("a queued build says what it waits for", "[log_follow]") {
    const kiln::test::StateFixture state;
    const kiln::queue::BuildRecord first = start(state, state.queue("app", "main"));
    const kiln::queue::BuildRecord second = state.queue("app", "main");
    const kiln::queue::BuildRecord other = state.queue("app", "feature");
    CHECK(kiln::queue::why_waiting(state.layout, second, 2) == "waits for app#1 on main");
    CHECK(kiln::queue::why_waiting(state.layout, other, 1) == "waits for a free runner slot (runner.jobs: 1)");
    CHECK_FALSE(kiln::queue::why_waiting(state.layout, other, 2));
    CHECK_FALSE(kiln::queue::why_waiting(state.layout, first, 1));

    SECTION("a build that ended waits for nothing") {
        kiln::queue::BuildRecord done = first;
        done.status = BuildStatus::success;
        kiln::queue::write_record(state.layout, done);
        CHECK_FALSE(kiln::queue::why_waiting(state.layout, second, 1));
    }
}

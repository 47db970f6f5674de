#include <catch2/catch.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "queue/cancel.h"
#include "queue/queue.h"
#include "queue/record_life.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;
using kiln::queue::CancelResult;

TEST_CASE("cancelling a queued build removes its job and records it", "[cancel]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    const kiln::queue::CancelOutcome outcome = kiln::queue::cancel_build(state.layout, "app", 1);
    CHECK(outcome.result == CancelResult::cancelled);
    CHECK(outcome.record.status == BuildStatus::cancelled);
    CHECK(outcome.record.reason == "cancelled before it started (kiln cancel)");
    CHECK(kiln::queue::read_record(state.layout, "app", 1).status == BuildStatus::cancelled);
    CHECK(kiln::queue::list_queued(state.layout).empty());
    CHECK(kiln::queue::list_claimed(state.layout).empty());
    CHECK_FALSE(kiln::queue::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("cancelling a running build leaves a request for the runner", "[cancel]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    const kiln::queue::Job job = kiln::queue::list_queued(state.layout).at(0);
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
    record.status = BuildStatus::running;
    kiln::queue::write_record(state.layout, record);

    const kiln::queue::CancelOutcome outcome = kiln::queue::cancel_build(state.layout, "app", 1);
    CHECK(outcome.result == CancelResult::requested);
    CHECK(outcome.record.status == BuildStatus::running);
    CHECK(kiln::queue::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("a cancel records who asked for it", "[cancel]") {
    const kiln::test::StateFixture state;
    SECTION("a queued build, at once") {
        state.queue("app", "main", std::string(40, 'a'), "alice");
        const kiln::queue::CancelOutcome outcome = kiln::queue::cancel_build(state.layout, "app", 1, "carol");
        CHECK(outcome.result == CancelResult::cancelled);
        const kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
        CHECK(record.cancelled_by == "carol");
        CHECK(record.id.pushed_by == "alice");
    }
    SECTION("a running build, when its runner records it cancelled") {
        state.queue("app");
        REQUIRE(kiln::queue::claim_job(state.layout, kiln::queue::list_queued(state.layout).at(0)));
        kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
        record.status = BuildStatus::running;
        kiln::queue::write_record(state.layout, record);
        REQUIRE(kiln::queue::cancel_build(state.layout, "app", 1, "carol").result == CancelResult::requested);
        CHECK(kiln::queue::cancel_requester(state.layout, "app", 1) == "carol");

        record.status = BuildStatus::cancelled;
        record.reason = kiln::queue::kCancelledByUser;
        REQUIRE(kiln::queue::finish_record(state.layout, record));
        CHECK(kiln::queue::read_record(state.layout, "app", 1).cancelled_by == "carol");
        CHECK_FALSE(kiln::queue::cancel_requested(state.layout, "app", 1));
    }
    SECTION("nobody, when the cancel came from a plain login") {
        state.queue("app");
        kiln::queue::cancel_build(state.layout, "app", 1);
        CHECK(kiln::queue::read_record(state.layout, "app", 1).cancelled_by.empty());
    }
}

TEST_CASE("a cancel file that names no key names nobody", "[cancel]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    CHECK(kiln::queue::cancel_requester(state.layout, "app", 1).empty());
    kiln::write_file_atomic(state.layout.cancel_file("app", 1), "cancel requested at 2024-05-01T12:00:00Z\n");
    CHECK(kiln::queue::cancel_requester(state.layout, "app", 1).empty());
    kiln::write_file_atomic(state.layout.cancel_file("app", 1), "cancel requested at 2024-05-01T12:00:00Z by ../x\n");
    CHECK(kiln::queue::cancel_requester(state.layout, "app", 1).empty());
}

TEST_CASE("cancelling a finished build changes nothing", "[cancel]") {
    const kiln::test::StateFixture state;
    kiln::queue::BuildRecord record = state.queue("app");
    record.status = BuildStatus::success;
    kiln::queue::write_record(state.layout, record);
    const kiln::queue::CancelOutcome outcome = kiln::queue::cancel_build(state.layout, "app", 1);
    CHECK(outcome.result == CancelResult::already_final);
    CHECK(outcome.record.status == BuildStatus::success);
    CHECK_FALSE(kiln::queue::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("cancelling a build that does not exist says so", "[cancel]") {
    const kiln::test::StateFixture state;
    REQUIRE_THROWS_WITH(kiln::queue::cancel_build(state.layout, "app", 7), "reading build app#7: no such build");
}

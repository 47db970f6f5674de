#include <catch2/catch.hpp>

#include "common/error.h"
#include "queue/cancel.h"
#include "queue/queue.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::runner::BuildStatus;
using kiln::runner::CancelResult;

TEST_CASE("cancelling a queued build removes its job and records it", "[cancel]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    const kiln::runner::CancelOutcome outcome = kiln::runner::cancel_build(state.layout, "app", 1);
    CHECK(outcome.result == CancelResult::cancelled);
    CHECK(outcome.record.status == BuildStatus::cancelled);
    CHECK(outcome.record.reason == "cancelled before it started (kiln cancel)");
    CHECK(kiln::runner::read_record(state.layout, "app", 1).status == BuildStatus::cancelled);
    CHECK(kiln::runner::list_queued(state.layout).empty());
    CHECK(kiln::runner::list_claimed(state.layout).empty());
    CHECK_FALSE(kiln::runner::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("cancelling a running build leaves a request for the runner", "[cancel]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    const kiln::runner::Job job = kiln::runner::list_queued(state.layout).at(0);
    REQUIRE(kiln::runner::claim_job(state.layout, job));
    kiln::runner::BuildRecord record = kiln::runner::read_record(state.layout, "app", 1);
    record.status = BuildStatus::running;
    kiln::runner::write_record(state.layout, record);

    const kiln::runner::CancelOutcome outcome = kiln::runner::cancel_build(state.layout, "app", 1);
    CHECK(outcome.result == CancelResult::requested);
    CHECK(outcome.record.status == BuildStatus::running);
    CHECK(kiln::runner::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("cancelling a finished build changes nothing", "[cancel]") {
    const kiln::test::StateFixture state;
    kiln::runner::BuildRecord record = state.queue("app");
    record.status = BuildStatus::success;
    kiln::runner::write_record(state.layout, record);
    const kiln::runner::CancelOutcome outcome = kiln::runner::cancel_build(state.layout, "app", 1);
    CHECK(outcome.result == CancelResult::already_final);
    CHECK(outcome.record.status == BuildStatus::success);
    CHECK_FALSE(kiln::runner::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("cancelling a build that does not exist says so", "[cancel]") {
    const kiln::test::StateFixture state;
    REQUIRE_THROWS_WITH(kiln::runner::cancel_build(state.layout, "app", 7), "reading build app#7: no such build");
}

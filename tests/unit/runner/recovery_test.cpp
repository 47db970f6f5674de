#include <catch2/catch.hpp>

#include "common/atomic_file.h"
#include "queue/cancel.h"
#include "queue/queue.h"
#include "runner/recovery.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;

namespace {

// What a runner leaves behind when it is killed mid-build.
void start_build(const kiln::test::StateFixture& state, const std::string& repo, int number) {
    kiln::queue::Job job;
    job.id.repo = repo;
    job.id.number = number;
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, repo, number);
    record.status = kiln::queue::BuildStatus::running;
    record.started_at = kiln::queue::unix_now();
    kiln::queue::write_record(state.layout, record);
}

}  // namespace

TEST_CASE("a build a dead runner left running is interrupted and queued again", "[recovery]") {
    const kiln::test::StateFixture state;
    state.queue("app", "main", std::string(40, 'b'), "alice");
    start_build(state, "app", 1);

    const std::vector<kiln::runner::RecoveredBuild> recovered = kiln::runner::recover_builds(state.layout);
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].interrupted.id.number == 1);
    CHECK(recovered[0].requeued.id.number == 2);

    const kiln::queue::BuildRecord old = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(old.status == kiln::queue::BuildStatus::interrupted);
    CHECK(old.reason == "the runner died while it ran; queued again as #2");
    CHECK(old.finished_at.has_value());
    CHECK(kiln::read_file(state.layout.log_file("app", 1)) ==
          "[kiln] the runner died while it ran; queued again as #2\n");

    const kiln::queue::BuildRecord retry = kiln::queue::read_record(state.layout, "app", 2);
    CHECK(retry.status == kiln::queue::BuildStatus::queued);
    CHECK(retry.id.trigger == "retry of #1");
    CHECK(retry.id.pushed_by == "alice");  // the push it retries is still alice's
    CHECK(retry.id.sha == std::string(40, 'b'));
    CHECK(retry.id.branch() == "main");
    CHECK(retry.order == 1);

    const std::vector<kiln::queue::Job> queued = kiln::queue::list_queued(state.layout);
    REQUIRE(queued.size() == 1);
    CHECK(queued[0].id.number == 2);
    CHECK(queued[0].repo_path == state.dir / "app.git");
    CHECK(kiln::queue::list_claimed(state.layout).empty());
    CHECK(kiln::runner::recover_builds(state.layout).empty());
}

TEST_CASE("a job claimed but never started goes back to the queue as it was", "[recovery]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    kiln::queue::Job job;
    job.id.repo = "app";
    job.id.number = 1;
    REQUIRE(kiln::queue::claim_job(state.layout, job));
    CHECK(kiln::runner::recover_builds(state.layout).empty());
    REQUIRE(kiln::queue::list_queued(state.layout).size() == 1);
    CHECK(kiln::queue::read_record(state.layout, "app", 1).status == kiln::queue::BuildStatus::queued);
}

TEST_CASE("a running record without its job file is recovered too", "[recovery]") {
    const kiln::test::StateFixture state;
    kiln::queue::BuildRecord record = state.queue("team/app");
    std::filesystem::remove(state.layout.queue_dir() / "team~app@1.json");
    record.status = kiln::queue::BuildStatus::running;
    kiln::queue::write_record(state.layout, record);
    const std::vector<kiln::runner::RecoveredBuild> recovered = kiln::runner::recover_builds(state.layout);
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].requeued.id.label() == "team/app#2");
    CHECK(kiln::queue::read_record(state.layout, "team/app", 1).status == kiln::queue::BuildStatus::interrupted);
}

TEST_CASE("a running build whose cancel was pending stays cancelled after recovery", "[recovery]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    start_build(state, "app", 1);
    REQUIRE(kiln::queue::cancel_build(state.layout, "app", 1, "carol").result ==
            kiln::queue::CancelResult::requested);
    CHECK(kiln::runner::recover_builds(state.layout).empty());
    const kiln::queue::BuildRecord record = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(record.status == kiln::queue::BuildStatus::cancelled);
    CHECK(record.cancelled_by == "carol");
    CHECK(record.reason == "cancelled (kiln cancel); its runner died before it stopped");
    CHECK(kiln::queue::list_queued(state.layout).empty());
    CHECK_FALSE(kiln::queue::cancel_requested(state.layout, "app", 1));
}

TEST_CASE("a queued build whose job file was lost is queued again", "[recovery]") {
    const kiln::test::StateFixture state;
    kiln::queue::BuildRecord old = state.queue("app");
    kiln::queue::BuildRecord fresh = state.queue("app");
    std::filesystem::remove(state.layout.queue_dir() / "app@1.json");
    std::filesystem::remove(state.layout.queue_dir() / "app@2.json");
    old.queued_at = *old.queued_at - 3600;
    kiln::queue::write_record(state.layout, old);

    CHECK(kiln::runner::recover_builds(state.layout).empty());
    // Only the old one: the fresh one may be a hook between its two writes.
    const std::vector<kiln::queue::Job> queued = kiln::queue::list_queued(state.layout);
    REQUIRE(queued.size() == 1);
    CHECK(queued[0].id.number == 1);
    CHECK(queued[0].id.sha == old.id.sha);
    CHECK(queued[0].id.branch() == "main");
    CHECK(kiln::queue::read_record(state.layout, "app", 2).status == kiln::queue::BuildStatus::queued);
}

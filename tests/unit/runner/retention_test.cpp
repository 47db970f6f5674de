#include <catch2/catch.hpp>

#include "runner/retention.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;

TEST_CASE("retention keeps the newest builds and never a queued or running one", "[retention]") {
    const kiln::test::StateFixture state;
    for (int i = 0; i < 6; ++i) {
        kiln::queue::BuildRecord record = state.queue("app");
        record.status = i == 1 ? kiln::queue::BuildStatus::running : kiln::queue::BuildStatus::success;
        kiln::queue::write_record(state.layout, record);
    }
    state.queue("web");

    CHECK(kiln::runner::prune_builds(state.layout, "app", 3) == std::vector<int>{1, 3});
    CHECK(kiln::queue::build_numbers(state.layout, "app") == std::vector<int>{2, 4, 5, 6});
    CHECK(kiln::runner::prune_builds(state.layout, "app", 3).empty());
    CHECK(kiln::queue::build_numbers(state.layout, "web") == std::vector<int>{1});
    CHECK(state.queue("app").id.number == 7);
}

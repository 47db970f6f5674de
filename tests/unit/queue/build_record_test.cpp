#include <catch2/catch.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "queue/build_record.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildRecord;
using kiln::queue::BuildStatus;

TEST_CASE("every status round-trips through its name", "[build_record]") {
    for (BuildStatus status : {BuildStatus::queued, BuildStatus::running, BuildStatus::success, BuildStatus::failed,
                               BuildStatus::timeout, BuildStatus::cancelled, BuildStatus::skipped,
                               BuildStatus::superseded, BuildStatus::interrupted}) {
        CHECK(kiln::queue::parse_status(kiln::queue::to_string(status)) == status);
    }
    CHECK_FALSE(kiln::queue::parse_status("done"));
    CHECK_FALSE(kiln::queue::is_final(BuildStatus::queued));
    CHECK_FALSE(kiln::queue::is_final(BuildStatus::running));
    CHECK(kiln::queue::is_final(BuildStatus::superseded));
}

TEST_CASE("ISO 8601 times are UTC and round-trip", "[build_record]") {
    CHECK(kiln::queue::format_iso8601(0) == "1970-01-01T00:00:00Z");
    CHECK(kiln::queue::format_iso8601(1714564800) == "2024-05-01T12:00:00Z");
    CHECK(kiln::queue::parse_iso8601("2024-05-01T12:00:00Z") == 1714564800);
    CHECK_FALSE(kiln::queue::parse_iso8601("2024-05-01 12:00:00"));
    CHECK_FALSE(kiln::queue::parse_iso8601("2024-05-01T12:00:00Zjunk"));
}

TEST_CASE("a record is written as documented and read back whole", "[build_record]") {
    const kiln::test::StateFixture state;
    BuildRecord record = state.queue("team/app");
    record.status = BuildStatus::failed;
    record.started_at = 1714564800;
    record.finished_at = 1714564863;
    record.exit_code = 2;
    record.targets = {"build", "test"};
    record.reason = "make test exited with 2";
    kiln::queue::write_record(state.layout, record);

    const nlohmann::json json =
        nlohmann::json::parse(kiln::read_file(state.layout.record_file("team/app", record.id.number)));
    CHECK(json["repo"] == "team/app");
    CHECK(json["number"] == 1);
    CHECK(json["ref"] == "refs/heads/main");
    CHECK(json["branch"] == "main");
    CHECK(json["status"] == "failed");
    CHECK(json["trigger"] == "push");
    CHECK(json["started_at"] == "2024-05-01T12:00:00Z");
    CHECK(json["finished_at"] == "2024-05-01T12:01:03Z");
    CHECK(json["duration_seconds"] == 63);
    CHECK(json["exit_code"] == 2);
    CHECK(json["image"] == "");
    CHECK(json["digest"] == "");

    const BuildRecord back = kiln::queue::read_record(state.layout, "team/app", 1);
    CHECK(back.status == BuildStatus::failed);
    CHECK(back.started_at == record.started_at);
    CHECK(back.finished_at == record.finished_at);
    CHECK(back.exit_code == 2);
    CHECK(back.targets == std::vector<std::string>{"build", "test"});
    CHECK(back.reason == record.reason);
    CHECK(back.queued_at == record.queued_at);
    CHECK(back.id.label() == "team/app#1");
}

TEST_CASE("who pushed and who cancelled are recorded, and old records have neither", "[build_record]") {
    const kiln::test::StateFixture state;
    BuildRecord record = state.queue("app", "main", std::string(40, 'a'), "alice");
    CHECK(nlohmann::json::parse(kiln::read_file(state.layout.record_file("app", 1)))["pushed_by"] == "alice");
    CHECK_FALSE(nlohmann::json::parse(kiln::read_file(state.layout.record_file("app", 1))).contains("cancelled_by"));

    record.status = BuildStatus::cancelled;
    record.cancelled_by = "bob";
    kiln::queue::write_record(state.layout, record);
    const nlohmann::json json = nlohmann::json::parse(kiln::read_file(state.layout.record_file("app", 1)));
    CHECK(json["pushed_by"] == "alice");
    CHECK(json["cancelled_by"] == "bob");
    const BuildRecord back = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(back.id.pushed_by == "alice");
    CHECK(back.cancelled_by == "bob");

    nlohmann::json old = json;
    old.erase("pushed_by");
    old.erase("cancelled_by");
    kiln::write_file_atomic(state.layout.record_file("app", 1), old.dump());
    const BuildRecord old_back = kiln::queue::read_record(state.layout, "app", 1);
    CHECK(old_back.id.pushed_by.empty());
    CHECK(old_back.cancelled_by.empty());
    CHECK(old_back.status == BuildStatus::cancelled);
}

TEST_CASE("reading a build that does not exist says so", "[build_record]") {
    const kiln::test::StateFixture state;
    REQUIRE_THROWS_AS(kiln::queue::read_record(state.layout, "app", 42), kiln::StateError);
    REQUIRE_THROWS_WITH(kiln::queue::read_record(state.layout, "app", 42), "reading build app#42: no such build");
    CHECK_FALSE(kiln::queue::find_record(state.layout, "app", 42));
}

TEST_CASE("a corrupt build.json is reported with its path", "[build_record]") {
    const kiln::test::StateFixture state;
    state.dir.write("state/builds/app/3/build.json", "{\"repo\": \"app\", \"number\": 3, \"status\": \"done\"}");
    const std::string file = state.layout.record_file("app", 3).string();
    REQUIRE_THROWS_WITH(kiln::queue::read_record(state.layout, "app", 3),
                        "reading '" + file + "': unknown status 'done'");
    state.dir.write("state/builds/app/3/build.json", "{not json");
    REQUIRE_THROWS_WITH(kiln::queue::read_record(state.layout, "app", 3), "reading '" + file + "': not valid JSON");
}

TEST_CASE("repos with builds are found one and two levels deep", "[build_record]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    state.queue("team/web");
    state.queue("team/web");
    CHECK(kiln::queue::build_repos(state.layout) == std::vector<std::string>{"app", "team/web"});
    CHECK(kiln::queue::build_numbers(state.layout, "team/web") == std::vector<int>{1, 2});
}

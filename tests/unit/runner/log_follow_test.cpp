#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "runner/log_follow.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::runner::BuildStatus;
using namespace std::chrono_literals;

TEST_CASE("follow_build streams every byte and returns at the final status", "[log_follow]") {
    const kiln::test::StateFixture state;
    kiln::runner::BuildRecord record = state.queue("app");
    std::string expected;
    for (int i = 0; i < 2000; ++i) {
        expected += "line " + std::to_string(i) + " of the build\n";
    }
    std::thread writer([&] {
        std::ofstream log(state.layout.log_file("app", 1), std::ios::app);
        kiln::runner::BuildRecord running = record;
        running.status = BuildStatus::running;
        kiln::runner::write_record(state.layout, running);
        for (std::size_t at = 0; at < expected.size(); at += 4096) {
            log << expected.substr(at, 4096) << std::flush;
            std::this_thread::sleep_for(2ms);
        }
        running.status = BuildStatus::failed;
        kiln::runner::write_record(state.layout, running);
    });
    std::ostringstream out;
    const kiln::runner::BuildRecord final_record =
        kiln::runner::follow_build(state.layout, "app", 1, out, [] { return true; });
    writer.join();
    CHECK(final_record.status == BuildStatus::failed);
    CHECK(out.str() == expected);
    CHECK(kiln::runner::follow_exit_code(final_record.status) == 3);
}

TEST_CASE("follow_build of a finished build prints the log and returns", "[log_follow]") {
    const kiln::test::StateFixture state;
    kiln::runner::BuildRecord record = state.queue("app");
    std::ofstream(state.layout.log_file("app", 1)) << "all done\n";
    record.status = BuildStatus::success;
    kiln::runner::write_record(state.layout, record);
    std::ostringstream out;
    CHECK(kiln::runner::follow_build(state.layout, "app", 1, out, [] { return true; }).status ==
          BuildStatus::success);
    CHECK(out.str() == "all done\n");
    CHECK(kiln::runner::follow_exit_code(BuildStatus::success) == 0);
    CHECK(kiln::runner::follow_exit_code(BuildStatus::skipped) == 0);
    CHECK(kiln::runner::follow_exit_code(BuildStatus::superseded) == 3);
}

TEST_CASE("follow_build stops when told to, leaving the build alone", "[log_follow]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    std::ofstream(state.layout.log_file("app", 1)) << "started\n";
    std::ostringstream out;
    const auto begin = std::chrono::steady_clock::now();
    int calls = 0;
    const kiln::runner::BuildRecord record =
        kiln::runner::follow_build(state.layout, "app", 1, out, [&] { return ++calls < 3; });
    CHECK(record.status == BuildStatus::queued);
    CHECK(out.str() == "started\n");
    CHECK(std::chrono::steady_clock::now() - begin < 5s);
}

TEST_CASE("follow_build stops when its output fails", "[log_follow]") {
    const kiln::test::StateFixture state;
    state.queue("app");
    std::ofstream(state.layout.log_file("app", 1)) << "started\n";
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    CHECK(kiln::runner::follow_build(state.layout, "app", 1, out, [] { return true; }).status ==
          BuildStatus::queued);
}

TEST_CASE("following a build that does not exist says so", "[log_follow]") {
    const kiln::test::StateFixture state;
    std::ostringstream out;
    REQUIRE_THROWS_WITH(kiln::runner::follow_build(state.layout, "app", 3, out, [] { return true; }),
                        "reading build app#3: no such build");
}

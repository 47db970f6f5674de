#include <catch2/catch.hpp>

#include <filesystem>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "queue/build_liveness.h"
#include "queue/leader_file.h"
#include "runner/stop_abandoned.h"
#include "tests/support/temp_dir.h"

namespace {

/// A child in a process group of its own that sleeps until killed.
pid_t start_sleeper() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::signal(SIGTERM, SIG_DFL);  // not Catch's handler, which would report a failure
        ::pause();
        ::_exit(0);
    }
    ::setpgid(pid, pid);
    return pid;
}

kiln::queue::LeaderRecord record_of(pid_t pid, pid_t group) {
    return {pid, kiln::queue::process_start_time(pid).value_or(0), group,
            kiln::queue::process_start_time(group).value_or(0)};
}

/// Waits for `pid` and returns the signal that ended it (0 when none did).
int ending_signal(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace

TEST_CASE("stop_abandoned_builds stops a live leader, or the group of a dead one, and forgets it", "[abandoned]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    std::filesystem::create_directories(layout.build_dir("team/app", 7));
    const std::filesystem::path file = layout.leader_file("team/app", 7);

    SECTION("a live leader gets SIGTERM") {
        const pid_t leader = start_sleeper();
        kiln::queue::write_leader_file(file, record_of(leader, leader));
        const std::vector<kiln::runner::AbandonedBuild> stopped = kiln::runner::stop_abandoned_builds(layout);
        REQUIRE(stopped.size() == 1);
        CHECK(stopped[0].repo == "team/app");
        CHECK(stopped[0].number == 7);
        CHECK(stopped[0].leader_was_alive);
        CHECK(ending_signal(leader) == SIGTERM);
    }
    SECTION("the group of a leader that is gone gets SIGKILL") {
        const pid_t gone = start_sleeper();
        const kiln::queue::LeaderRecord dead = record_of(gone, gone);
        ::kill(gone, SIGKILL);
        ending_signal(gone);
        const pid_t make = start_sleeper();
        kiln::queue::LeaderRecord record = record_of(make, make);
        record.pid = dead.pid;
        record.start_time = dead.start_time;
        kiln::queue::write_leader_file(file, record);
        const std::vector<kiln::runner::AbandonedBuild> stopped = kiln::runner::stop_abandoned_builds(layout);
        REQUIRE(stopped.size() == 1);
        CHECK_FALSE(stopped[0].leader_was_alive);
        CHECK(ending_signal(make) == SIGKILL);
    }
    CHECK_FALSE(std::filesystem::exists(file));
    CHECK(kiln::runner::stop_abandoned_builds(layout).empty());
}

TEST_CASE("a running record that no runner and no leader runs is shown interrupted", "[abandoned]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    std::filesystem::create_directories(layout.build_dir("app", 3));
    kiln::queue::BuildRecord record;
    record.id.repo = "app";
    record.id.number = 3;
    record.status = kiln::queue::BuildStatus::running;

    const kiln::queue::BuildRecord abandoned = kiln::queue::displayed_record(layout, record);
    CHECK(abandoned.status == kiln::queue::BuildStatus::interrupted);
    CHECK(abandoned.reason == "its runner died while it ran; the next runner queues it again");

    kiln::queue::write_leader_file(layout.leader_file("app", 3), record_of(::getpid(), ::getpgrp()));
    CHECK(kiln::queue::displayed_record(layout, record).status == kiln::queue::BuildStatus::running);
}

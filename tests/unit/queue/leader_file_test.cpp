#include <catch2/catch.hpp>

#include <unistd.h>

#include "common/atomic_file.h"
#include "queue/leader_file.h"
#include "tests/support/temp_dir.h"

using kiln::queue::LeaderRecord;

TEST_CASE("a leader file names a live process only while pid and start time match", "[leader]") {
    const kiln::test::TempDir dir;
    const auto start_time = kiln::queue::process_start_time(::getpid());
    REQUIRE(start_time);
    const LeaderRecord self{::getpid(), *start_time, ::getpgrp(), 0};
    kiln::queue::write_leader_file(dir / "leader", self);
    const std::optional<LeaderRecord> read = kiln::queue::read_leader_file(dir / "leader");
    REQUIRE(read);
    CHECK(read->pid == self.pid);
    CHECK(read->start_time == self.start_time);
    CHECK(read->group == self.group);
    CHECK(kiln::queue::leader_alive(*read));

    SECTION("a reused pid is not the leader") {
        LeaderRecord reused = self;
        reused.start_time += 1;
        CHECK_FALSE(kiln::queue::leader_alive(reused));
    }
    SECTION("a damaged or missing file names nothing") {
        kiln::write_file_atomic(dir / "leader", "{\"pid\": 12");
        CHECK_FALSE(kiln::queue::read_leader_file(dir / "leader"));
        CHECK_FALSE(kiln::queue::read_leader_file(dir / "missing"));
    }
}

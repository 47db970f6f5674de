#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "releases/ledger.h"
#include "releases/release_history.h"
#include "tests/support/temp_dir.h"

using kiln::releases::DeployStatus;
using kiln::releases::EventKind;
using kiln::releases::LedgerEvent;

namespace {

std::string digest_of(char c) { return "sha256:" + std::string(64, c); }

LedgerEvent release(int number, char digest) {
    LedgerEvent event;
    event.kind = EventKind::release;
    event.at = 1700000000 + number;
    event.by = "alice";
    event.number = number;
    event.sha = std::string(40, static_cast<char>('0' + number % 10));
    event.image = "127.0.0.1:5000/app:" + event.sha;
    event.digest = digest_of(digest);
    event.tags = {"latest", "main"};
    return event;
}

LedgerEvent deploy(const std::string& host, char digest, DeployStatus status) {
    LedgerEvent event;
    event.kind = EventKind::deploy;
    event.at = 1700001000;
    event.host = host;
    event.digest = digest_of(digest);
    event.status = status;
    event.exit_code = status == DeployStatus::failed ? 1 : 0;
    return event;
}

}  // namespace

TEST_CASE("ledger events round-trip through the file, oldest first", "[ledger]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    LedgerEvent rollback;
    rollback.kind = EventKind::rollback;
    rollback.at = 1700000500;
    rollback.by = "bob";
    rollback.number = 1;
    rollback.digest = digest_of('a');
    rollback.tags = {"latest"};
    rollback.from_number = 2;
    rollback.from_digest = digest_of('b');
    kiln::releases::append_event(layout, "team/app", release(1, 'a'));
    kiln::releases::append_event(layout, "team/app", rollback);
    kiln::releases::append_event(layout, "team/app", deploy("web1", 'a', DeployStatus::reverted));

    const std::vector<LedgerEvent> events = kiln::releases::read_ledger(layout, "team/app");
    REQUIRE(events.size() == 3);
    CHECK(events[0].kind == EventKind::release);
    CHECK(events[0].number == 1);
    CHECK(events[0].by == "alice");
    CHECK(events[0].tags == std::vector<std::string>{"latest", "main"});
    CHECK(events[0].at == 1700000001);
    CHECK(events[1].kind == EventKind::rollback);
    CHECK(events[1].from_number == 2);
    CHECK(events[1].from_digest == digest_of('b'));
    CHECK(events[2].kind == EventKind::deploy);
    CHECK(events[2].host == "web1");
    CHECK(events[2].status == DeployStatus::reverted);
    CHECK(events[2].exit_code == 0);
    CHECK(kiln::releases::ledger_repos(layout) == std::vector<std::string>{"team/app"});

    struct stat info {};
    REQUIRE(::stat(kiln::releases::ledger_file(layout, "team/app").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("a torn or foreign line is skipped, the rest is read", "[ledger]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    kiln::releases::append_event(layout, "app", release(1, 'a'));
    {
        std::ofstream out(kiln::releases::ledger_file(layout, "app"), std::ios::app);
        out << "{\"kind\":\"release\",\"at\":\"2024-01-0\n";
        out << "{\"kind\":\"party\",\"at\":\"2024-01-01T00:00:00Z\",\"digest\":\"x\"}\n";
    }
    kiln::releases::append_event(layout, "app", release(2, 'b'));
    const std::vector<LedgerEvent> events = kiln::releases::read_ledger(layout, "app");
    REQUIRE(events.size() == 2);
    CHECK(events[0].number == 1);
    CHECK(events[1].number == 2);
    CHECK(kiln::releases::read_ledger(layout, "none").empty());
}

TEST_CASE("concurrent writers never interleave their lines", "[ledger]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    std::vector<std::thread> writers;
    for (int writer = 0; writer < 4; ++writer) {
        writers.emplace_back([&layout, writer] {
            for (int i = 1; i <= 50; ++i) {
                kiln::releases::append_event(layout, "app", release(writer * 100 + i, 'c'));
            }
        });
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
    CHECK(kiln::releases::read_ledger(layout, "app").size() == 200);
}

TEST_CASE("retention keeps the newest distinct released images and every running one", "[ledger]") {
    // Builds 3 and 4 made the same image as build 2 (a README change): keeping
    // two releases keeps b and a, not b alone.
    std::vector<LedgerEvent> events{release(1, 'a'), release(2, 'b'), release(3, 'b'), release(4, 'b')};
    CHECK(kiln::releases::digests_to_keep(events, 2) == std::set<std::string>{digest_of('a'), digest_of('b')});
    CHECK(kiln::releases::digests_to_keep(events, 1) == std::set<std::string>{digest_of('b')});

    events.insert(events.begin(), release(0, 'z'));
    events.push_back(deploy("web1", 'z', DeployStatus::deployed));
    events.push_back(deploy("web2", 'a', DeployStatus::deployed));
    // A failed deploy on web2 leaves it running what it ran.
    events.push_back(deploy("web2", 'b', DeployStatus::failed));
    CHECK(kiln::releases::digests_to_keep(events, 1) ==
          std::set<std::string>{digest_of('a'), digest_of('b'), digest_of('z')});
    const auto running = kiln::releases::running_by_host(events);
    REQUIRE(running.size() == 2);
    CHECK(running.at("web1").digest == digest_of('z'));
    CHECK(running.at("web2").digest == digest_of('a'));
}

TEST_CASE("releases are listed newest first and found by number", "[ledger]") {
    const std::vector<LedgerEvent> events{release(1, 'a'), deploy("web1", 'a', DeployStatus::deployed),
                                          release(3, 'c'), release(2, 'b')};
    const std::vector<LedgerEvent> newest = kiln::releases::releases_newest_first(events);
    REQUIRE(newest.size() == 3);
    CHECK(newest[0].number == 3);
    CHECK(newest[2].number == 1);
    CHECK(kiln::releases::release_numbered(events, 2)->digest == digest_of('b'));
    CHECK_FALSE(kiln::releases::release_numbered(events, 9));
    CHECK(kiln::releases::image_name_of("127.0.0.1:5000/team/app:abc") == "team/app");
    CHECK(kiln::releases::image_name_of("127.0.0.1:5000/app@sha256:00") == "app");
}

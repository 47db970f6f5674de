#include <catch2/catch.hpp>

#include "common/atomic_file.h"
#include "queue/build_log.h"
#include "tests/support/temp_dir.h"

using kiln::read_file;
using kiln::queue::BuildLog;

TEST_CASE("BuildLog appends to the existing log: output as is, its own lines prefixed", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir.write("log", "queued\n");
    BuildLog log(path, 1000);
    log.kiln("$ make build");
    log.output("compil");
    CHECK(read_file(path) == "queued\n[kiln] $ make build\n");
    log.output("ing\nlinking\nprogress 50%");
    CHECK(read_file(path) == "queued\n[kiln] $ make build\ncompiling\nlinking\n");
    log.finish_output();
    log.kiln("make build done in 0.1s");
    CHECK(read_file(path) == "queued\n[kiln] $ make build\ncompiling\nlinking\nprogress 50%\n[kiln] make build done in 0.1s\n");
}

TEST_CASE("BuildLog masks a secret split across chunks", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 1000);
    log.add_secrets({"hunter2-secret", "ab", "line one\nline two"});
    log.output("token=hun");
    log.output("ter2-sec");
    log.output("ret; short ab stays\nline one, line two, line three\n");
    log.kiln("hunter2-secret is masked here too");
    CHECK(read_file(path) == "token=***; short ab stays\n***, ***, line three\n[kiln] *** is masked here too\n");
}

TEST_CASE("BuildLog writes a paused partial line but holds back a possible secret start", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 1000);
    log.add_secrets({"hunter2-secret"});
    log.output("Password: hunter2-secret, retry: hunt");
    log.flush_partial();
    CHECK(read_file(path) == "Password: ***, retry: ");
    log.output("er2-secret ok");
    log.flush_partial();
    CHECK(read_file(path) == "Password: ***, retry: *** ok");
    log.output("hun");
    log.finish_output();
    CHECK(read_file(path) == "Password: ***, retry: *** okhun\n");
}

TEST_CASE("BuildLog writes a long line without a newline once it passes the pending limit", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 1 << 20);
    log.output(std::string(BuildLog::kMaxPendingLine + 1, 'x'));
    CHECK(read_file(path).size() == BuildLog::kMaxPendingLine + 1);
}

TEST_CASE("BuildLog stops at log_max with one marker line and keeps its own lines", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 100);
    for (int i = 0; i < 30; ++i) {
        log.output("line " + std::to_string(i + 10) + "\n");  // 8 bytes each
    }
    log.finish_output();
    log.kiln("make build done in 0.1s");
    CHECK(log.truncated());
    std::string expected;
    for (int i = 0; i < 12; ++i) {
        expected += "line " + std::to_string(i + 10) + "\n";
    }
    expected += "[kiln] log truncated at 100B (runner.log_max); the build goes on\n"
                "[kiln] make build done in 0.1s\n";
    CHECK(read_file(path) == expected);
}

TEST_CASE("BuildLog writes progress redrawn with carriage returns as it comes", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 1000);
    log.output("pulling 10%\rpulling 20%\rpull");
    CHECK(read_file(path) == "pulling 10%\rpulling 20%\r");
}

TEST_CASE("BuildLog masks the halves of a secret written around a carriage return", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 1000);
    log.add_secrets({"abcd\rEFGH"});
    log.output("abcd\r");
    log.output("EFGH\n");
    log.finish_output();
    CHECK(read_file(path) == "***\r***\n");
}

TEST_CASE("BuildLog masks encoded forms split across chunks and paused lines", "[build_log]") {
    const kiln::test::TempDir dir;
    const auto path = dir / "log";
    BuildLog log(path, 1000);
    log.add_secrets({"p@ss w/rd?x"});
    log.output("b64=cEBzcyB3");
    log.output("L3JkP3g= url=p%40ss%20");
    log.flush_partial();
    CHECK(read_file(path) == "b64=*** url=");
    log.output("w%2Frd%3Fx lower=p%40ss%20w%2frd%3fx\n");
    log.finish_output();
    CHECK(read_file(path) == "b64=*** url=*** lower=***\n");
}

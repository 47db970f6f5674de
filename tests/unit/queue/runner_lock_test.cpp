#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "queue/runner_lock.h"
#include "tests/unit/runner/runner_fixture.h"

using namespace std::chrono_literals;

TEST_CASE("one runner lock at a time, and runner_running sees it", "[runner_lock]") {
    const kiln::test::StateFixture state;
    CHECK_FALSE(kiln::queue::runner_running(state.layout));
    CHECK_FALSE(std::filesystem::exists(state.layout.runner_lock()));
    {
        std::optional<kiln::queue::RunnerLock> lock = kiln::queue::RunnerLock::try_acquire(state.layout);
        REQUIRE(lock);
        CHECK(kiln::queue::runner_running(state.layout));
        CHECK_FALSE(kiln::queue::RunnerLock::try_acquire(state.layout));
        CHECK(kiln::read_file(state.layout.runner_lock()) == std::to_string(::getpid()) + "\n");
    }
    CHECK_FALSE(kiln::queue::runner_running(state.layout));
    CHECK(kiln::queue::RunnerLock::try_acquire(state.layout));
}

TEST_CASE("a detached runner holds none of the caller's descriptors", "[runner_lock][slow]") {
    const kiln::test::StateFixture state;
    std::filesystem::create_directories(state.layout.root());
    // A stand-in for kiln: records its pid, argv, cwd and GIT_* variables,
    // then lingers the way a runner would.
    const std::filesystem::path report = state.dir / "report";
    const std::filesystem::path fake = state.dir.write(
        "fake-kiln", "#!/bin/sh\n"
                     "{ echo \"$$\"; echo \"args: $*\"; echo \"cwd: $(pwd)\"; env | grep '^GIT_'; } > " +
                         report.string() + ".tmp\n"
                     "mv " + report.string() + ".tmp " + report.string() + "\n"
                     "echo to-the-runner-log\n"
                     "sleep 3\n");
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);

    // The push's output pipe: its write end, left inheritable on purpose.
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    ::setenv("GIT_DIR", "/somewhere/app.git", 1);
    kiln::queue::start_detached_runner(state.layout, fake, std::filesystem::path("relative.yaml"));
    ::unsetenv("GIT_DIR");
    ::close(pipe_fds[1]);
    // EOF at once: the runner did not keep the write end open.
    pollfd poll_fd{pipe_fds[0], POLLIN, 0};
    REQUIRE(::poll(&poll_fd, 1, 2000) == 1);
    char byte = 0;
    CHECK(::read(pipe_fds[0], &byte, 1) == 0);
    ::close(pipe_fds[0]);

    for (int i = 0; i < 100 && !std::filesystem::exists(report); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    const std::string text = kiln::read_file(report);
    const std::string pid = text.substr(0, text.find('\n'));
    const std::string config = (std::filesystem::current_path() / "relative.yaml").string();
    CHECK(text == pid + "\nargs: --config " + config + " runner\ncwd: /\n");
    // Its descriptors: stdin /dev/null, stdout and stderr the runner log, and
    // nothing else of ours (the shell's own fd on its script aside).
    std::set<std::string> targets;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + pid + "/fd")) {
        targets.insert(std::filesystem::read_symlink(entry.path()).string());
    }
    CHECK(targets == std::set<std::string>{"/dev/null", state.layout.runner_log().string(), fake.string()});
    for (int i = 0; i < 100 && kiln::read_file(state.layout.runner_log()).empty(); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(kiln::read_file(state.layout.runner_log()) == "to-the-runner-log\n");
}

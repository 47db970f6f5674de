#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "runner/process.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using kiln::runner::Ending;
using kiln::runner::ProcessSpec;
using kiln::runner::RunOptions;
using kiln::runner::run_process;

namespace {

/// Options that run steps under the real kiln's leader: this test binary is not kiln.
RunOptions kiln_options() {
    RunOptions options;
    options.leader_program = KILN_BIN;
    return options;
}

ProcessSpec shell(const std::string& script, const std::filesystem::path& cwd) {
    return {{"sh", "-c", script}, cwd, {{"PATH", "/usr/bin:/bin"}}, {}};
}

/// Runs `script` and returns its merged output.
struct Captured {
    kiln::runner::ProcessResult result;
    std::string output;
};

Captured capture(const ProcessSpec& spec, RunOptions options = kiln_options()) {
    Captured captured;
    options.on_output = [&captured](std::string_view chunk) { captured.output += chunk; };
    captured.result = run_process(spec, options);
    return captured;
}

std::vector<pid_t> read_pids(const std::filesystem::path& file) {
    std::istringstream in(kiln::read_file(file));
    std::vector<pid_t> pids;
    for (pid_t pid = 0; in >> pid;) {
        pids.push_back(pid);
    }
    return pids;
}

bool process_exists(pid_t pid) {
    return std::filesystem::exists("/proc/" + std::to_string(pid));
}

}  // namespace

TEST_CASE("run_process merges stdout and stderr and reports the exit code", "[process]") {
    const kiln::test::TempDir dir;
    const Captured run = capture(shell("echo out; echo err >&2; echo out again; exit 3", dir.path()));
    CHECK(run.output == "out\nerr\nout again\n");
    CHECK(run.result.ending == Ending::exited);
    CHECK(run.result.exit_code == 3);
    CHECK(run.result.leftovers == 0);
    CHECK(kiln::runner::describe_ending(run.result) == "exited 3");
}

TEST_CASE("run_process reports a process killed by a signal", "[process]") {
    const kiln::test::TempDir dir;
    const Captured run = capture(shell("kill -KILL $$", dir.path()));
    CHECK(run.result.ending == Ending::signaled);
    CHECK(run.result.signal == SIGKILL);
    CHECK(kiln::runner::describe_ending(run.result) == "killed by signal 9 (SIGKILL)");
}

TEST_CASE("run_process gives exactly the environment, stdin /dev/null, cwd and a process group", "[process]") {
    const kiln::test::TempDir dir;
    ::setenv("GIT_DIR", "/srv/git/app.git", 1);
    ProcessSpec spec = shell("env | sort; readlink /proc/self/fd/0; pwd; cat; "
                             "test \"$(cut -d' ' -f5 /proc/$$/stat)\" = $$ && echo own group",
                             dir.path());
    spec.env["FOO"] = "bar baz";
    const Captured run = capture(spec);
    ::unsetenv("GIT_DIR");
    std::istringstream lines(run.output);
    std::vector<std::string> got;
    for (std::string line; std::getline(lines, line);) {
        got.push_back(line);
    }
    INFO(run.output);
    REQUIRE(got.size() == 6);
    CHECK(got[0] == "FOO=bar baz");
    CHECK(got[1] == "PATH=/usr/bin:/bin");
    CHECK(got[2] == "PWD=" + dir.path().string());
    CHECK(got[3] == "/dev/null");
    CHECK(got[4] == dir.path().string());
    CHECK(got[5] == "own group");
    CHECK(run.result.exit_code == 0);
}

TEST_CASE("run_process names a program missing from PATH", "[process]") {
    const kiln::test::TempDir dir;
    const ProcessSpec spec{{"no-such-kiln-program", "build"}, dir.path(), {{"PATH", "/usr/bin:/bin"}}, {}};
    REQUIRE_THROWS_AS(run_process(spec, kiln_options()), kiln::ProcessError);
    REQUIRE_THROWS_WITH(run_process(spec, kiln_options()),
                        "running no-such-kiln-program: 'no-such-kiln-program' not found in PATH (/usr/bin:/bin)");
}

TEST_CASE("a timeout stops every process of the step, also those that ignore SIGTERM or left the group",
          "[process][slow]") {
    const kiln::test::TempDir dir;
    const std::string script = "trap '' TERM; "
                               "sleep 1000 & echo $! >> pids; "
                               "setsid sleep 1000 & echo $! >> pids; "
                               "env -i /usr/bin/setsid /bin/sleep 1000 & echo $! >> pids; "
                               "echo $$ >> pids; echo started; sleep 1000";
    RunOptions options = kiln_options();
    options.deadline = std::chrono::steady_clock::now() + 1s;
    options.grace = 300ms;
    const Captured run = capture(shell(script, dir.path()), options);
    CHECK(run.output == "started\n");
    CHECK(run.result.ending == Ending::timed_out);
    CHECK(run.result.signal == SIGKILL);
    CHECK(kiln::runner::describe_ending(run.result) == "timed out");
    // The leader, not its 15 s fallback, stopped the step: it wrote a status,
    // and SIGKILL ended what ignored SIGTERM. How soon: bench/stop_tree.sh.
    const std::vector<pid_t> pids = read_pids(dir / "pids");
    REQUIRE(pids.size() == 4);
    for (const pid_t pid : pids) {
        INFO("pid " << pid);
        CHECK_FALSE(process_exists(pid));
    }
}

TEST_CASE("cancel stops the step and its orphans", "[process][slow]") {
    const kiln::test::TempDir dir;
    std::atomic<bool> cancel{false};
    // Cancels once the step wrote both pids: a fixed delay raced with the
    // leader starting in a slow (sanitizer) build.
    std::thread canceller([&cancel, &dir] {
        const auto give_up = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < give_up) {
            std::error_code ignored;
            if (std::filesystem::exists(dir / "pids", ignored) && read_pids(dir / "pids").size() == 2) {
                break;
            }
            std::this_thread::sleep_for(20ms);
        }
        cancel = true;
    });
    RunOptions options = kiln_options();
    options.cancel_requested = [&cancel] { return cancel.load(); };
    options.grace = 2s;
    // The subshell exits at once, so its sleep is an orphan re-parented to us.
    const Captured run = capture(shell("(sleep 1000 & echo $! >> pids); echo $$ >> pids; sleep 1000", dir.path()), options);
    canceller.join();
    CHECK(run.result.ending == Ending::cancelled);
    // SIGTERM ended it within the 2 s grace: no SIGKILL was needed. How soon:
    // bench/stop_tree.sh.
    CHECK(run.result.signal == SIGTERM);
    const std::vector<pid_t> pids = read_pids(dir / "pids");
    REQUIRE(pids.size() == 2);
    for (const pid_t pid : pids) {
        CHECK_FALSE(process_exists(pid));
    }
}

TEST_CASE("processes a step leaves running after it exited are stopped", "[process]") {
    const kiln::test::TempDir dir;
    RunOptions options = kiln_options();
    options.linger = 200ms;
    const Captured run = capture(shell("sleep 1000 & echo $! > pids; echo bye", dir.path()), options);
    CHECK(run.output == "bye\n");
    CHECK(run.result.ending == Ending::exited);
    CHECK(run.result.exit_code == 0);
    CHECK(run.result.leftovers == 1);
    CHECK_FALSE(process_exists(read_pids(dir / "pids").at(0)));
}

TEST_CASE("output arriving slowly reaches on_quiet between chunks", "[process]") {
    const kiln::test::TempDir dir;
    std::string seen;
    RunOptions options = kiln_options();
    options.quiet_after = 50ms;
    options.on_output = [&seen](std::string_view chunk) { seen += chunk; };
    options.on_quiet = [&seen] { seen += "|"; };
    run_process(shell("printf 'a'; sleep 0.4; printf 'b\\n'", dir.path()), options);
    // No pause after the last chunk: the process ended first.
    CHECK(seen == "a|b\n");
}

TEST_CASE("stopping one step leaves a step running beside it alone", "[process][slow]") {
    const kiln::test::TempDir dir;
    Captured calm;
    std::thread beside([&calm, &dir] {
        calm = capture(shell("sleep 1.5 & wait; echo calm", dir.path()));
    });
    RunOptions options = kiln_options();
    options.deadline = std::chrono::steady_clock::now() + 300ms;
    options.grace = 200ms;
    const Captured stopped = capture(shell("(sleep 1000 &); sleep 1000", dir.path()), options);
    beside.join();
    CHECK(stopped.result.ending == Ending::timed_out);
    CHECK(calm.result.ending == Ending::exited);
    CHECK(calm.result.exit_code == 0);
    CHECK(calm.output == "calm\n");
}

TEST_CASE("processes that escaped the group with setsid, a double fork or env -i are stopped when the step exits",
          "[process]") {
    const kiln::test::TempDir dir;
    RunOptions options = kiln_options();
    options.linger = 200ms;
    options.grace = 300ms;
    const std::string script = "setsid env -i /bin/sleep 1000 & echo $! >> pids; "
                               "sh -c '(trap \"\" TERM; setsid sleep 1000 & echo $! >> pids) &'; "
                               "sleep 0.2; echo bye";
    const Captured run = capture(shell(script, dir.path()), options);
    CHECK(run.output == "bye\n");
    CHECK(run.result.ending == Ending::exited);
    CHECK(run.result.exit_code == 0);
    const std::vector<pid_t> pids = read_pids(dir / "pids");
    REQUIRE(pids.size() == 2);
    CHECK(run.result.leftovers >= 2);
    for (const pid_t pid : pids) {
        INFO("pid " << pid);
        CHECK_FALSE(process_exists(pid));
    }
}

TEST_CASE("a cancel stops a double-forked daemon that ignores SIGTERM", "[process][slow]") {
    const kiln::test::TempDir dir;
    // The middle shell exits at once: the daemon is an orphan in a session
    // of its own, with an empty environment.
    std::ofstream(dir / "daemon.sh") << "( trap '' TERM; exec setsid env -i /bin/sleep 1000 ) &\n"
                                        "echo $! > pids.tmp\n";
    RunOptions options = kiln_options();
    options.cancel_requested = [&dir] { return std::filesystem::exists(dir / "pids"); };
    options.grace = 300ms;
    const Captured run = capture(shell("sh daemon.sh; mv pids.tmp pids; sleep 1000", dir.path()), options);
    CHECK(run.result.ending == Ending::cancelled);
    const std::vector<pid_t> pids = read_pids(dir / "pids");
    REQUIRE(pids.size() == 1);
    CHECK_FALSE(process_exists(pids.front()));
}

TEST_CASE("the leader file names the live leader while the step runs and is gone after", "[process]") {
    const kiln::test::TempDir dir;
    RunOptions options = kiln_options();
    options.leader_file = dir / "leader";
    const Captured run = capture(shell("cat leader; echo $$; cut -d' ' -f5 /proc/$$/stat", dir.path()), options);
    std::istringstream lines(run.output);
    std::string json;
    std::string main_pid;
    std::string group;
    std::getline(lines, json);
    std::getline(lines, main_pid);
    std::getline(lines, group);
    INFO(run.output);
    CHECK(json.find("\"group\":" + main_pid + ",") != std::string::npos);
    CHECK(group == main_pid);
    CHECK(json.find("\"pid\":") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "leader"));
}

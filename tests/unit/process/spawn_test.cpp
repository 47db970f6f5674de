#include "process/spawn.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>

#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/process/test_helpers.h"

using namespace kiln::process;
using kiln::process::test::make_test_pipe;
using kiln::process::test::read_all;

namespace {

Command shell(const std::string& script) {
    Command command;
    command.argv = {"/bin/sh", "-c", script};
    command.env = Environment::current();
    return command;
}

/// Runs `command` with stdout on a pipe; what it printed.
std::string output_of(Command command) {
    auto pipe = make_test_pipe();
    command.std_out = Redirect::fd(pipe.write_end.get());
    Child child = spawn(command, OnDrop::kill, "running a test child");
    pipe.write_end = kiln::UniqueFd();
    std::string text = read_all(pipe.read_end.get());
    REQUIRE(child.wait().exited());
    return text;
}

bool file_exists(const std::filesystem::path& path) {
    std::error_code ignored;
    return std::filesystem::exists(path, ignored);
}

int alarms = 0;
void count_alarm(int) { ++alarms; }

}  // namespace

TEST_CASE("a child's exit code is its status", "[process]") {
    Child child = spawn(shell("exit 3"), OnDrop::kill, "running a test child");
    const ExitStatus status = child.wait();
    CHECK(status.exited());
    CHECK(status.code() == 3);
    CHECK(child.reaped());
    CHECK(child.wait().code() == 3);  // waiting again gives the same status
}

TEST_CASE("a child killed by a signal says which", "[process]") {
    Child child = spawn(shell("kill -TERM $$"), OnDrop::kill, "running a test child");
    const ExitStatus status = child.wait();
    CHECK(status.signaled());
    CHECK(status.signal() == SIGTERM);
}

TEST_CASE("a program that cannot be executed is an error of the caller", "[process]") {
    Command command;
    command.argv = {"/nonexistent/program"};
    CHECK_THROWS_WITH(spawn(command, OnDrop::kill, "running the program"),
                      "running the program: No such file or directory");
    command.program = "kiln-no-such-program";
    command.search_path = true;
    CHECK_THROWS_WITH(spawn(command, OnDrop::kill, "running the program"),
                      "running the program: No such file or directory");
}

TEST_CASE("a child gets exactly the environment it is given", "[process]") {
    ::setenv("KILN_PROCESS_NOT_PASSED", "1", 1);
    Command command;
    command.argv = {"/usr/bin/env"};
    command.env.set("ONLY", "this");
    CHECK(output_of(command) == "ONLY=this\n");

    command.env = Environment::current().unset("KILN_PROCESS_NOT_PASSED").set("ADDED", "yes");
    const std::string all = output_of(command);
    CHECK(all.find("KILN_PROCESS_NOT_PASSED") == std::string::npos);
    CHECK(all.find("ADDED=yes\n") != std::string::npos);
    ::unsetenv("KILN_PROCESS_NOT_PASSED");
}

TEST_CASE("stdin, stdout and stderr go where they are redirected", "[process]") {
    kiln::test::TempDir dir;
    const std::filesystem::path err_file = dir.path() / "err";
    Command command = shell("cat; echo out; echo err >&2");
    command.std_in = Redirect::null();
    command.std_err = Redirect::file(err_file, O_WRONLY | O_CREAT | O_TRUNC);
    CHECK(output_of(command) == "out\n");
    std::ifstream in(err_file);
    std::string line;
    REQUIRE(std::getline(in, line));
    CHECK(line == "err");
}

TEST_CASE("a child can start in a working directory of its own", "[process]") {
    kiln::test::TempDir dir;
    Command command = shell("pwd");
    command.cwd = dir.path();
    CHECK(output_of(command) == std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST_CASE("a child can start in a process group or a session of its own", "[process]") {
    Command command = shell("sleep 100");
    SECTION("group") {
        command.group = Group::new_group;
        Child child = spawn(command, OnDrop::kill, "running a test child");
        CHECK(::getpgid(child.pid()) == child.pid());
        CHECK(::getsid(child.pid()) == ::getsid(0));
    }
    SECTION("session") {
        command.group = Group::new_session;
        Child child = spawn(command, OnDrop::kill, "running a test child");
        CHECK(::getsid(child.pid()) == child.pid());
    }
    SECTION("inherited") {
        Child child = spawn(command, OnDrop::kill, "running a test child");
        CHECK(::getpgid(child.pid()) == ::getpgid(0));
    }
}

TEST_CASE("a child's signal mask and ignored signals can be reset", "[process]") {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    struct sigaction before {};
    ::sigaction(SIGUSR1, &ignore, &before);
    Command command = shell("kill -USR1 $$; exit 0");
    CHECK(spawn(command, OnDrop::kill, "running a test child").wait().exited());
    command.default_signals = {SIGUSR1};
    const ExitStatus status = spawn(command, OnDrop::kill, "running a test child").wait();
    CHECK(status.signaled());
    CHECK(status.signal() == SIGUSR1);
    ::sigaction(SIGUSR1, &before, nullptr);

    Command grep;
    grep.argv = {"grep", "^SigBlk", "/proc/self/status"};
    grep.search_path = true;
    grep.env = Environment::current();
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);  // signal 10: bit 9
    grep.signal_mask = mask;
    CHECK(output_of(grep) == "SigBlk:\t0000000000000200\n");
}

TEST_CASE("descriptors above stderr can be closed in the child", "[process]") {
    const int inherited = ::dup(STDIN_FILENO);  // no O_CLOEXEC: a child inherits it
    REQUIRE(inherited > STDERR_FILENO);
    const std::string check = "[ -e /proc/self/fd/" + std::to_string(inherited) + " ] && echo open || echo closed";
    Command command = shell(check);
    CHECK(output_of(command) == "open\n");
    command.close_other_fds = true;
    CHECK(output_of(command) == "closed\n");
    ::close(inherited);
}

TEST_CASE("a wait interrupted by a signal goes on waiting", "[process]") {
    struct sigaction on_alarm {};
    on_alarm.sa_handler = count_alarm;
    on_alarm.sa_flags = 0;  // no SA_RESTART: waitpid and poll fail with EINTR
    struct sigaction before {};
    ::sigaction(SIGALRM, &on_alarm, &before);
    const itimerval every_20ms{{0, 20000}, {0, 20000}};
    const itimerval off{};
    alarms = 0;
    ::setitimer(ITIMER_REAL, &every_20ms, nullptr);
    SECTION("blocking") {
        Child child = spawn(shell("sleep 0.3; exit 4"), OnDrop::kill, "running a test child");
        CHECK(child.wait().code() == 4);
    }
    SECTION("with a deadline") {
        Child child = spawn(shell("sleep 0.3; exit 5"), OnDrop::kill, "running a test child");
        const std::optional<ExitStatus> status =
            child.wait_until(std::chrono::steady_clock::now() + std::chrono::minutes(5));
        REQUIRE(status);
        CHECK(status->code() == 5);
    }
    ::setitimer(ITIMER_REAL, &off, nullptr);
    ::sigaction(SIGALRM, &before, nullptr);
    CHECK(alarms > 0);
}

TEST_CASE("a wait with a deadline gives up on a child that sleeps on", "[process]") {
    Child child = spawn(shell("sleep 100"), OnDrop::kill, "running a test child");
    CHECK_FALSE(child.try_wait().has_value());
    CHECK_FALSE(child.wait_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(100)).has_value());
    CHECK_FALSE(child.reaped());
    const ExitStatus status = child.kill();
    CHECK(status.signaled());
    CHECK(status.signal() == SIGKILL);
}

TEST_CASE("a dropped child is killed or waited for, as asked", "[process]") {
    kiln::test::TempDir dir;
    const std::filesystem::path done = dir.path() / "done";
    pid_t pid = 0;
    {
        Child child = spawn(shell("sleep 100"), OnDrop::kill, "running a test child");
        pid = child.pid();
    }
    CHECK(::kill(pid, 0) != 0);
    CHECK(errno == ESRCH);
    {
        Child child = spawn(shell("sleep 0.1; touch '" + done.string() + "'"), OnDrop::wait, "running a test child");
        Child moved = std::move(child);
        CHECK(child.pid() == -1);
    }
    CHECK(file_exists(done));
}

TEST_CASE("a held child runs only once released", "[process]") {
    kiln::test::TempDir dir;
    const std::filesystem::path ran = dir.path() / "ran";
    Command command = shell("touch '" + ran.string() + "'");
    command.group = Group::new_group;
    SECTION("released") {
        HeldChild held = spawn_held(command, "", "running a test child");
        CHECK(::getpgid(held.pid()) == held.pid());
        CHECK_FALSE(file_exists(ran));
        Child child = held.release();
        CHECK(child.wait().code() == 0);
        CHECK(file_exists(ran));
    }
    SECTION("dropped") {
        pid_t pid = 0;
        {
            HeldChild held = spawn_held(command, "", "running a test child");
            pid = held.pid();
        }
        CHECK(::kill(pid, 0) != 0);
        CHECK_FALSE(file_exists(ran));
    }
}

TEST_CASE("a held child that cannot exec says why on its stderr", "[process]") {
    auto pipe = make_test_pipe();
    Command command;
    command.argv = {"/nonexistent/program"};
    command.std_err = Redirect::fd(pipe.write_end.get());
    Child child = spawn_held(command, "kiln: error: starting it: ", "running a test child").release();
    pipe.write_end = kiln::UniqueFd();
    CHECK(read_all(pipe.read_end.get()) == "kiln: error: starting it: No such file or directory\n");
    CHECK(child.wait().code() == 127);
}

TEST_CASE("a daemon is no child of ours and leads no session", "[process]") {
    kiln::test::TempDir dir;
    const std::filesystem::path said = dir.path() / "said";
    const std::filesystem::path out = dir.path() / "out";
    // Written to a temporary name and renamed, so the file appears whole.
    Command command =
        shell("echo $PPID $(ps -o sid= -p $$) $$ $(pwd) > '" + said.string() + ".tmp'; mv '" + said.string() +
              ".tmp' '" + said.string() + "'; echo out");
    command.cwd = "/";
    command.std_in = Redirect::null();
    command.std_out = Redirect::file(out, O_WRONLY | O_CREAT | O_APPEND);
    command.close_other_fds = true;
    spawn_daemon(command, "starting a test daemon");
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!file_exists(said) && std::chrono::steady_clock::now() < give_up) {
        ::usleep(10000);
    }
    std::ifstream in(said);
    pid_t parent = 0;
    pid_t session = 0;
    pid_t self = 0;
    std::string cwd;
    REQUIRE(in >> parent >> session >> self >> cwd);
    CHECK(parent != ::getpid());
    CHECK(session != self);
    CHECK(session != ::getsid(0));
    CHECK(cwd == "/");
}

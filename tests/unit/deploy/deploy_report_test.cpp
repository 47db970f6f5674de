// `kiln watch --report`: the ssh command line, and how a report that fails or
// hangs ends. A shell script stands in for ssh (the e2e watch_report_ssh runs
// the real one against the real sshd).

#include "deploy/deploy_report.h"

#include <catch2/catch.hpp>

#include "common/atomic_file.h"
#include "common/names.h"
#include "tests/support/temp_dir.h"

using namespace kiln::registry;

namespace {

const DeployEvent kEvent{"app", "sha256:" + std::string(64, 'a'), kiln::releases::DeployStatus::reverted, 3};

ReportTarget target_running(const std::string& ssh_command) {
    ReportTarget target;
    target.destination = "git@build.example";
    target.ssh_command = ssh_command;
    target.host = "web-1.example";
    return target;
}

}  // namespace

TEST_CASE("a report is the ssh command with every word of kiln deployed as its own argument", "[report]") {
    CHECK(report_argv(target_running("ssh -p 2222"), kEvent) ==
          std::vector<std::string>{"/bin/sh", "-c", "ssh -p 2222 \"$@\"", "ssh", "git@build.example", "kiln",
                                   "deployed", "app", kEvent.digest, "--host", "web-1.example", "--status", "reverted",
                                   "--exit", "3"});
}

TEST_CASE("a report runs the ssh command with DEST and the kiln deployed words", "[report]") {
    kiln::test::TempDir dir;
    const std::string args = (dir / "args").string();
    // Stands in for ssh: writes each argument it got on a line.
    CHECK_FALSE(send_report(target_running("printf '%s\\n' >'" + args + "'"), kEvent));
    CHECK(kiln::read_file(args) == "git@build.example\nkiln\ndeployed\napp\n" + kEvent.digest +
                                       "\n--host\nweb-1.example\n--status\nreverted\n--exit\n3\n");
}

TEST_CASE("a report that fails says how", "[report]") {
    CHECK(send_report(target_running("exit 255; :"), kEvent) == "exit 255");
    CHECK(send_report(target_running("/nonexistent/ssh"), kEvent) == "exit 127");
}

TEST_CASE("a report that hangs is killed, group and all, at its timeout", "[report]") {
    SECTION("an ssh that goes on sleeping") {
        ReportTarget target = target_running("sleep 600; :");
        target.timeout = std::chrono::milliseconds(300);
        CHECK(send_report(target, kEvent) == "killed after 300 ms");
    }
    SECTION("an ssh that ignores SIGTERM") {
        ReportTarget target = target_running("trap '' TERM; while :; do sleep 1; done; :");
        target.timeout = std::chrono::seconds(1);
        CHECK(send_report(target, kEvent) == "killed after 1 s");
    }
}

TEST_CASE("this host's name is one the ledger takes", "[report]") {
    CHECK(kiln::is_host_name(this_host_name()));
}

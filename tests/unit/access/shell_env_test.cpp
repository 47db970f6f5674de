#include <catch2/catch.hpp>

#include "access/access_log.h"
#include "access/shell_env.h"

using namespace kiln::access;

TEST_CASE("GIT_PROTOCOL passes only in git's own form", "[access]") {
    CHECK(valid_git_protocol("version=2"));
    CHECK(valid_git_protocol("version=2:object-format=sha256"));
    CHECK_FALSE(valid_git_protocol("version=x"));
    CHECK_FALSE(valid_git_protocol("version="));
    CHECK_FALSE(valid_git_protocol(""));
    CHECK_FALSE(valid_git_protocol("version=2 ;id"));
    CHECK_FALSE(valid_git_protocol("version=2:UPPER=1"));
    CHECK_FALSE(valid_git_protocol("foo=1:version=2"));
    CHECK_FALSE(valid_git_protocol("version=2:" + std::string(200, 'a') + "=1"));
}

TEST_CASE("the shell's environment is built from nothing", "[access]") {
    const Account account{"git", "/srv/git"};
    const auto env = shell_environment(account, "/usr/bin:/bin", "alice", std::string("version=2"));
    CHECK(env.entries() == std::vector<std::string>{"PATH=/usr/bin:/bin", "HOME=/srv/git", "USER=git",
                                                    "LOGNAME=git", "KILN_PUSHED_BY=alice", "GIT_PROTOCOL=version=2"});
    CHECK_FALSE(shell_environment(account, "/bin", "alice", std::string("version=2;id")).get("GIT_PROTOCOL"));
}

TEST_CASE("access log lines cannot be forged by the command", "[access]") {
    const AccessEvent event{0, "alice", "192.0.2.7", "ls\n1970-01-01T00:00:00Z key=admin \"x\\", "refused", "no"};
    CHECK(access_log_line(event) ==
          "1970-01-01T00:00:00Z key=alice from=192.0.2.7 verdict=refused "
          "command=\"ls\\x0a1970-01-01T00:00:00Z key=admin \\\"x\\\\\" reason=\"no\"\n");
}

TEST_CASE("git's, kiln's and the loader's variables from the client are named for refusal", "[access]") {
    using Env = std::vector<std::string>;
    CHECK_FALSE(client_sent_variable(Env{"PATH=/bin", "LANG=C", "SSH_CLIENT=1 2 3", "GIT_PROTOCOL=version=2"}));
    CHECK(client_sent_variable(Env{"PATH=/bin", "GIT_CONFIG_PARAMETERS='a.b'='c'"}) == "GIT_CONFIG_PARAMETERS");
    CHECK(client_sent_variable(Env{"GIT_PROTOCOL=version=2;id"}) == "GIT_PROTOCOL");
    CHECK(client_sent_variable(Env{"KILN_CONFIG=/tmp/evil.yaml"}) == "KILN_CONFIG");
    CHECK(client_sent_variable(Env{"LD_PRELOAD=/tmp/evil.so"}) == "LD_PRELOAD");
}

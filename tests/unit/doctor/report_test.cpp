#include <catch2/catch.hpp>

#include "doctor/report.h"

using kiln::doctor::failed;
using kiln::doctor::passed;

TEST_CASE("doctor prints one line per check, a failure with its fix", "[doctor]") {
    const std::vector<kiln::doctor::Check> checks{
        passed("state_dir", "/var/lib/kiln (owner git, mode 0755)"),
        failed("secrets_dir", "/etc/kiln/secrets has mode 0755: other users can read the secrets in it",
               "chmod 700 /etc/kiln/secrets"),
    };
    CHECK(kiln::doctor::format_text(checks) ==
          "ok   state_dir: /var/lib/kiln (owner git, mode 0755)\n"
          "FAIL secrets_dir: /etc/kiln/secrets has mode 0755: other users can read the secrets in it; "
          "fix: chmod 700 /etc/kiln/secrets\n");
    CHECK_FALSE(kiln::doctor::all_ok(checks));
    CHECK(kiln::doctor::all_ok({checks[0]}));
}

TEST_CASE("doctor's JSON holds every check and whether all passed", "[doctor]") {
    const nlohmann::json json = kiln::doctor::to_json({passed("git", "/usr/bin/git"), failed("make", "missing", "x")});
    CHECK(json.dump() ==
          R"({"checks":[{"detail":"/usr/bin/git","fix":"","name":"git","ok":true},)"
          R"({"detail":"missing","fix":"x","name":"make","ok":false}],"ok":false})");
    CHECK(kiln::doctor::to_json({}).dump() == R"({"checks":[],"ok":true})");
}

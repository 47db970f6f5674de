#include "common/kiln_lines.h"

#include <catch2/catch.hpp>

TEST_CASE("kiln's lines start with [kiln]", "[kiln_lines]") {
    CHECK(kiln::kiln_line("build app#3 queued") == "[kiln] build app#3 queued");
}

TEST_CASE("the follow and show commands name the build", "[kiln_lines]") {
    CHECK(kiln::follow_command("team/app", 42) == "kiln logs team/app 42 -f");
    CHECK(kiln::show_command("team/app", 42) == "kiln show team/app 42");
}

TEST_CASE("a command run over ssh names the user and the host, or says to fill them in", "[kiln_lines]") {
    CHECK(kiln::ssh_command("git", "buildbox", "kiln logs app 42 -f") == "ssh git@buildbox kiln logs app 42 -f");
    CHECK(kiln::ssh_command("", "buildbox", "kiln show app 42") == "ssh <user>@buildbox kiln show app 42");
    CHECK(kiln::ssh_command("git", "", "kiln show app 42") == "ssh git@<host> kiln show app 42");
}

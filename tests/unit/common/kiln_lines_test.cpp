#include "common/kiln_lines.h"

#include <catch2/catch.hpp>

TEST_CASE("kiln's lines start with [kiln]", "[kiln_lines]") {
    CHECK(kiln::kiln_line("build app#3 queued") == "[kiln] build app#3 queued");
}

TEST_CASE("the follow and show commands name the build", "[kiln_lines]") {
    CHECK(kiln::follow_command("team/app", 42) == "kiln logs team/app 42 -f");
    CHECK(kiln::show_command("team/app", 42) == "kiln show team/app 42");
}

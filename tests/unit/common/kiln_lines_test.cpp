#include "common/kiln_lines.h"

#include <catch2/catch.hpp>

TEST_CASE("kiln's lines start with [kiln]", "[kiln_lines]") {
    CHECK(kiln::kiln_line("build app#3 queued") == "[kiln] build app#3 queued");
}

#include "common/build_variables.h"

#include <catch2/catch.hpp>

TEST_CASE("KILN_*, REGISTRY and IMAGE are kiln's build variables", "[build_variables]") {
    for (const char* name : {"KILN_REPO", "KILN_SHA", "KILN_ANYTHING", "REGISTRY", "IMAGE"}) {
        CHECK(kiln::is_build_variable(name));
    }
    for (const char* name : {"KILN", "MY_KILN_X", "IMAGES", "registry", "PATH"}) {
        CHECK_FALSE(kiln::is_build_variable(name));
    }
}

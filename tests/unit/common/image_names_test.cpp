#include "common/image_names.h"

#include <string>

#include <catch2/catch.hpp>

TEST_CASE("image names follow distribution's repository grammar", "[image_names]") {
    for (const char* good : {"app", "team/app", "a.b_c__d-e--f", "x/y/z", "app2", "0"}) {
        CHECK(kiln::is_image_name(good));
    }
    for (const char* bad : {"", "App", "team//app", "/app", "app/", "-app", "app_", "a___b", "a b", "a-.b", "a-_b",
                            "a._b", "a..b", "host:5000/app"}) {
        CHECK_FALSE(kiln::is_image_name(bad));
    }
}

TEST_CASE("image tags are 1 to 128 of [A-Za-z0-9_.-], not starting with . or -", "[image_names]") {
    for (const std::string& good : {std::string("latest"), std::string("v1.2.3"), std::string("_x"),
                                    std::string("Main-2"), std::string(128, 'a')}) {
        CHECK(kiln::is_image_tag(good));
    }
    for (const std::string& bad : {std::string(""), std::string(".x"), std::string("-x"), std::string("a/b"),
                                   std::string("a b"), std::string("{branch}"), std::string(129, 'a')}) {
        CHECK_FALSE(kiln::is_image_tag(bad));
    }
}

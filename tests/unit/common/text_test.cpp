#include "common/text.h"

#include <catch2/catch.hpp>

using Pieces = std::vector<std::string>;

TEST_CASE("join puts the separator between items only", "[text]") {
    CHECK(kiln::join({}) == "");
    CHECK(kiln::join({"a"}) == "a");
    CHECK(kiln::join({"a", "b", "c"}) == "a, b, c");
    CHECK(kiln::join({"a", "b"}, "/") == "a/b");
}

TEST_CASE("split keeps empty pieces", "[text]") {
    CHECK(kiln::split("", ':') == Pieces{""});
    CHECK(kiln::split("a", ':') == Pieces{"a"});
    CHECK(kiln::split("a::b", ':') == Pieces{"a", "", "b"});
    CHECK(kiln::split("a:", ':') == Pieces{"a", ""});
    CHECK(kiln::split(":a", ':') == Pieces{"", "a"});
}

TEST_CASE("split_lines ends the last line at a final newline", "[text]") {
    CHECK(kiln::split_lines("").empty());
    CHECK(kiln::split_lines("a") == Pieces{"a"});
    CHECK(kiln::split_lines("a\n") == Pieces{"a"});
    CHECK(kiln::split_lines("a\n\nb") == Pieces{"a", "", "b"});
    CHECK(kiln::split_lines("\n") == Pieces{""});
}

TEST_CASE("trim and lowercase", "[text]") {
    CHECK(kiln::trim(" \tBearer x\r") == "Bearer x");
    CHECK(kiln::trim(" \t\r") == "");
    CHECK(kiln::trim("a b") == "a b");
    CHECK(kiln::lowercase("Team/App-2") == "team/app-2");
}

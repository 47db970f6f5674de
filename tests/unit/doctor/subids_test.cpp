#include <catch2/catch.hpp>

#include "doctor/subids.h"

using kiln::doctor::free_subid_start;
using kiln::doctor::subid_ranges;

TEST_CASE("subordinate id ranges are found by user name or uid", "[doctor]") {
    const std::string text =
        "alice:100000:65536\n"
        "git:165536:65536\n"
        "1001:231072:1000\n"
        "broken line\n"
        "git:nope:5\n";
    const auto ranges = subid_ranges(text, "git", 1001);
    REQUIRE(ranges.size() == 2);
    CHECK(ranges[0].start == 165536);
    CHECK(ranges[0].count == 65536);
    CHECK(ranges[1].start == 231072);
    CHECK(ranges[1].count == 1000);
    CHECK(subid_ranges(text, "bob", 1002).empty());
    CHECK(subid_ranges("", "git", 1001).empty());
}

TEST_CASE("a new subordinate range starts after every existing one", "[doctor]") {
    CHECK(free_subid_start("") == 100000);
    CHECK(free_subid_start("a:100000:65536\nb:300000:10\nc:165536:65536\n") == 300010);
    CHECK(free_subid_start("a:5:10\n") == 100000);
}

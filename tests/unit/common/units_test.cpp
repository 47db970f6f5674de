#include <catch2/catch.hpp>

#include "common/units.h"

using namespace std::chrono_literals;

TEST_CASE("durations parse in s, m, h, d and combinations", "[units]") {
    CHECK(kiln::parse_duration("90s") == 90s);
    CHECK(kiln::parse_duration("20m") == 20min);
    CHECK(kiln::parse_duration("1h30m") == 90min);
    CHECK(kiln::parse_duration("2d") == std::chrono::seconds(2 * 86400));
    CHECK(kiln::parse_duration("45") == 45s);
    CHECK_FALSE(kiln::parse_duration(""));
    CHECK_FALSE(kiln::parse_duration("0s"));
    CHECK_FALSE(kiln::parse_duration("ten minutes"));
    CHECK_FALSE(kiln::parse_duration("5x"));
    CHECK_FALSE(kiln::parse_duration("1m30"));
    CHECK_FALSE(kiln::parse_duration("-5s"));
    CHECK_FALSE(kiln::parse_duration("99999999999999999999s"));
}

TEST_CASE("sizes parse in decimal and binary units", "[units]") {
    CHECK(kiln::parse_size("50MB") == 50'000'000u);
    CHECK(kiln::parse_size("512KiB") == 512u * 1024);
    CHECK(kiln::parse_size("1G") == 1024u * 1024 * 1024);
    CHECK(kiln::parse_size("100") == 100u);
    CHECK(kiln::parse_size("7B") == 7u);
    CHECK_FALSE(kiln::parse_size("MB"));
    CHECK_FALSE(kiln::parse_size("5 MB"));
    CHECK_FALSE(kiln::parse_size("5PB"));
    CHECK_FALSE(kiln::parse_size("99999999999999999999GB"));
}

TEST_CASE("durations and sizes format for tables", "[units]") {
    CHECK(kiln::format_duration(42s) == "42s");
    CHECK(kiln::format_duration(185s) == "3m05s");
    CHECK(kiln::format_duration(3720s) == "1h02m");
    CHECK(kiln::format_size(812) == "812B");
    CHECK(kiln::format_size(1'500'000) == "1.5MB");
    CHECK(kiln::format_size(50'000'000) == "50MB");
}

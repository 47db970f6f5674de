#include "git-objects/git_delta.h"

#include <initializer_list>
#include <string>

#include <catch2/catch.hpp>

using kiln::git_objects::apply_delta;
using kiln::git_objects::delta_sizes;

namespace {

// The bytes of a delta, written out one by one (zeros and all).
std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (const int value : values) {
        out.push_back(static_cast<char>(value));
    }
    return out;
}

constexpr std::uint64_t kNoLimit = 1 << 20;
const std::string kBase = "hello world";

}  // namespace

TEST_CASE("a delta copies from its base and inserts its own bytes", "[git-objects]") {
    // Sizes 11 and 7; copy offset 0 length 5 (0x91: one offset byte, one
    // length byte); insert the 2 bytes "!!".
    const std::string delta = bytes({11, 7, 0x91, 0, 5, 2}) + "!!";
    CHECK(apply_delta(kBase, delta, kNoLimit) == "hello!!");
}

TEST_CASE("a base-128 size runs over several bytes", "[git-objects]") {
    const auto parsed = delta_sizes(bytes({0x80, 0x01, 5}));
    REQUIRE(parsed);
    CHECK(parsed->source == 128);
    CHECK(parsed->result == 5);
    CHECK(parsed->header_bytes == 3);
    CHECK_FALSE(delta_sizes(bytes({0x80, 0x80})));         // cut short
    CHECK_FALSE(delta_sizes(std::string(11, '\xff')));     // past 64 bits
}

TEST_CASE("a malformed delta builds nothing", "[git-objects]") {
    SECTION("the base is not the size the delta names") {
        CHECK_FALSE(apply_delta(kBase, bytes({10, 5, 0x91, 0, 5}), kNoLimit));
    }
    SECTION("a copy past the end of the base") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 5, 0x91, 8, 5}), kNoLimit));
    }
    SECTION("a copy cut short") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 5, 0x91, 0}), kNoLimit));
    }
    SECTION("an insert past the end of the delta") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 5, 5}) + "ab", kNoLimit));
    }
    SECTION("opcode 0, which git reserves") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 1, 0}), kNoLimit));
    }
    SECTION("more bytes than the result size") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 2, 3}) + "abc", kNoLimit));
    }
    SECTION("fewer bytes than the result size") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 9, 3}) + "abc", kNoLimit));
    }
    SECTION("a result larger than the caller allows") {
        CHECK_FALSE(apply_delta(kBase, bytes({11, 7, 0x91, 0, 5, 2}) + "!!", 6));
    }
}

#include <catch2/catch.hpp>

#include <sstream>

#include "libgit2/git.h"
#include "hooks/hook_input.h"

using kiln::hooks::read_hook_input;

namespace {

const std::string kOld(40, 'a');
const std::string kNew = "0123456789abcdef0123456789abcdef01234567";
const std::string kZero(40, '0');

kiln::hooks::HookInput parse(const std::string& text) {
    std::istringstream in(text);
    return read_hook_input(in);
}

}  // namespace

TEST_CASE("valid update lines are read in order", "[hooks]") {
    const kiln::git::Library libgit2;
    const auto input = parse(kOld + " " + kNew + " refs/heads/main\n" + kZero + " " + kNew + " refs/tags/v1\n" +
                             kNew + " " + kZero + " refs/heads/old\n" + std::string(64, 'b') + " " +
                             std::string(64, 'c') + " refs/heads/sha256\n");
    REQUIRE(input.malformed.empty());
    REQUIRE(input.updates.size() == 4);
    CHECK(input.updates[0].old_sha == kOld);
    CHECK(input.updates[0].new_sha == kNew);
    CHECK(input.updates[0].ref == "refs/heads/main");
    CHECK(input.updates[0].line == 1);
    CHECK_FALSE(input.updates[0].deletion());
    CHECK(input.updates[1].ref == "refs/tags/v1");
    CHECK(input.updates[2].deletion());
    CHECK(input.updates[3].line == 4);
}

TEST_CASE("malformed lines are reported with their number and skipped", "[hooks]") {
    const kiln::git::Library libgit2;
    const auto input = parse("garbage\n" + kOld + " " + kNew + " refs/heads/main\n" + kOld + " XYZ refs/heads/a\n" +
                             kOld + " " + kNew + " refs/heads/a..b\n" + kOld + " " + std::string(64, 'c') +
                             " refs/heads/x\n" + kOld + " " + kNew + " main\n" + kOld + "  " + kNew +
                             " refs/heads/main\n" + "\n" + kOld + " " + kNew + " refs/heads/ok\r\n");
    REQUIRE(input.updates.size() == 2);
    CHECK(input.updates[0].line == 2);
    CHECK(input.updates[1].ref == "refs/heads/ok");
    CHECK(input.updates[1].line == 9);
    REQUIRE(input.malformed.size() == 7);
    CHECK(input.malformed[0].line == 1);
    CHECK(input.malformed[0].problem == "expected 'OLD NEW REF', got 'garbage'");
    CHECK(input.malformed[1].line == 3);
    CHECK(input.malformed[1].problem == "'XYZ' is not an object id of 40 or 64 hex digits");
    CHECK(input.malformed[2].problem == "'refs/heads/a..b' is not a valid ref name");
    CHECK(input.malformed[3].problem == "old and new object ids differ in length in '" + kOld + " " + std::string(19, 'c') + "...'");
    CHECK(input.malformed[4].problem == "'main' is not a valid ref name");
    CHECK(input.malformed[5].problem.starts_with("expected 'OLD NEW REF', got '"));
    CHECK(input.malformed[6].line == 8);
    CHECK(input.malformed[6].problem == "expected 'OLD NEW REF', got ''");
}

TEST_CASE("binary and huge garbage is quoted short and printable", "[hooks]") {
    const kiln::git::Library libgit2;
    std::string binary = "\x1b[31m\x01\x02 ";
    binary += std::string(1, '\0') + " x y";
    const auto input = parse(binary + "\n" + std::string(1'000'000, 'z') + "\n");
    REQUIRE(input.malformed.size() == 2);
    CHECK(input.malformed[0].problem == "expected 'OLD NEW REF', got '?[31m?? ? x y'");
    CHECK(input.malformed[1].problem == "expected 'OLD NEW REF', got '" + std::string(60, 'z') + "...'");
}

TEST_CASE("object ids and ref names", "[hooks]") {
    const kiln::git::Library libgit2;
    CHECK(kiln::hooks::is_object_id(kNew));
    CHECK(kiln::hooks::is_object_id(std::string(64, 'f')));
    CHECK_FALSE(kiln::hooks::is_object_id(std::string(39, 'a')));
    CHECK_FALSE(kiln::hooks::is_object_id(std::string(40, 'A')));
    CHECK_FALSE(kiln::hooks::is_object_id(std::string(40, 'g')));
    CHECK(kiln::hooks::is_valid_ref_name("refs/heads/main"));
    CHECK(kiln::hooks::is_valid_ref_name("refs/heads/release/1.2"));
    CHECK_FALSE(kiln::hooks::is_valid_ref_name("HEAD"));
    CHECK_FALSE(kiln::hooks::is_valid_ref_name("refs/heads/"));
    CHECK_FALSE(kiln::hooks::is_valid_ref_name("refs/heads/a b"));
    CHECK_FALSE(kiln::hooks::is_valid_ref_name("refs/heads/x.lock"));
    CHECK_FALSE(kiln::hooks::is_valid_ref_name("refs/heads/a~1"));
    CHECK(kiln::hooks::is_valid_ref_name("refs/heads/feature-x_1@2"));
    for (const char* bad : {"refs/heads/a//b", "refs/heads/.hidden", "refs/heads/a/.b", "refs/heads/x.", "refs/heads/a@{1}",
                            "refs/heads/a\\b", "refs/heads/a:b", "refs/heads/a?", "refs/heads/a*", "refs/heads/a[b",
                            "refs/heads/a^", "refs/heads/tab\there", "refs/heads/del\x7f", "refs/heads/a.lock/b"}) {
        CHECK_FALSE(kiln::hooks::is_valid_ref_name(bad));
    }
    // What git itself accepts must pass: the hook only sees refs git took.
    for (const char* good : {"refs/heads/main", "refs/tags/v1.2.3", "refs/heads/a.b/c-d", "refs/heads/@", "refs/x"}) {
        CHECK(kiln::hooks::is_valid_ref_name(good));
    }
}

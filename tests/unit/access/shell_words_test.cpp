#include <catch2/catch.hpp>

#include "access/shell_words.h"

using kiln::access::split_shell_words;
using Words = std::vector<std::string>;

TEST_CASE("shell words: quotes and backslashes as a shell reads them, nothing expanded", "[access]") {
    CHECK(split_shell_words("git-upload-pack 'app.git'").words == Words{"git-upload-pack", "app.git"});
    CHECK(split_shell_words("  kiln\tbuilds  app ").words == Words{"kiln", "builds", "app"});
    CHECK(split_shell_words("a\"b c\"d").words == Words{"ab cd"});
    CHECK(split_shell_words(R"(x "say \"hi\" \\ \n")").words == Words{"x", R"(say "hi" \ \n)"});
    CHECK(split_shell_words(R"(a\ b)").words == Words{"a b"});
    CHECK(split_shell_words("'' x").words == Words{"", "x"});
    CHECK(split_shell_words("'; rm -rf / $(id) `id`'").words == Words{"; rm -rf / $(id) `id`"});
    CHECK(split_shell_words("a\\;b").words == Words{"a;b"});
    // As in sh, `#` inside a word is a character: `app#42` names a build.
    CHECK(split_shell_words("kiln image inspect app#42").words == Words{"kiln", "image", "inspect", "app#42"});
    CHECK(split_shell_words("kiln rollback app '#3'").words == Words{"kiln", "rollback", "app", "#3"});
    CHECK(split_shell_words("").words.empty());
    CHECK_FALSE(split_shell_words("").problem);
}

TEST_CASE("shell words: operators, expansions and control characters are refused", "[access]") {
    for (const char* hostile : {"ls; id", "ls | sh", "a && b", "a & b", "echo $HOME", "echo `id`", "a > f",
                                "a < f", "(id)", "x # comment", "#3"}) {
        INFO(hostile);
        const auto split = split_shell_words(hostile);
        CHECK(split.words.empty());
        REQUIRE(split.problem);
        CHECK(split.problem->find("outside quotes") != std::string::npos);
    }
    CHECK(split_shell_words("git-upload-pack 'a'\nid").problem == "the command contains a newline");
    CHECK(split_shell_words(std::string("a\0b", 3)).problem == "the command contains control character 0x00");
    CHECK(split_shell_words("'open").problem == "the command has an unterminated single quote");
    CHECK(split_shell_words("\"open").problem == "the command has an unterminated double quote");
    CHECK(split_shell_words("x\\").problem == "the command ends with a backslash");
    CHECK(split_shell_words("\"$HOME\"").problem ==
          "the command has '$' inside double quotes; kiln expands nothing: quote it with single quotes");
}

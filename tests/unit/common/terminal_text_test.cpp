#include <catch2/catch.hpp>

#include "common/terminal_text.h"

using kiln::neutralise_controls;

TEST_CASE("neutralise_controls shows escape sequences instead of sending them", "[terminal_text]") {
    CHECK(neutralise_controls("\x1b]52;c;aGk=\a") == "^[]52;c;aGk=^G");
    CHECK(neutralise_controls("\x1b[2J\x1b[H") == "^[[2J^[[H");
    CHECK(neutralise_controls(std::string("nul\0del\x7f", 8)) == "nul^@del^?");
    CHECK(neutralise_controls("\x08\x0b\x0c\x1f") == "^H^K^L^_");
}

TEST_CASE("neutralise_controls keeps newlines, tabs and carriage returns", "[terminal_text]") {
    CHECK(neutralise_controls("a\tb\r\n 50%\r100%\n") == "a\tb\r\n 50%\r100%\n");
}

TEST_CASE("neutralise_controls shows UTF-8 C1 controls and keeps other UTF-8", "[terminal_text]") {
    CHECK(neutralise_controls("\xc2\x9b" "2J") == "\\u009b2J");
    CHECK(neutralise_controls("caf\xc3\xa9 \xc2\xa0 \xe2\x9c\x93") == "caf\xc3\xa9 \xc2\xa0 \xe2\x9c\x93");
    // A lone byte that is not UTF-8 is left alone: a UTF-8 terminal obeys nothing in it.
    CHECK(neutralise_controls("\x9b" "2J") == "\x9b" "2J");
}

TEST_CASE("TerminalFilter catches a C1 control split across chunks", "[terminal_text]") {
    kiln::TerminalFilter filter;
    std::string out = filter.feed("a\xc2");
    CHECK(out == "a");
    out += filter.feed("\x9b" "1m\xc2");
    out += filter.feed("\xa9");
    out += filter.feed("\xc2");
    out += filter.finish();
    CHECK(out == "a\\u009b1m\xc2\xa9\xc2");
}

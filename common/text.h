#pragma once

// Small text helpers every part uses, so each has one meaning: how a list is
// joined for a message, how a line or a list is split.

#include <string>
#include <string_view>
#include <vector>

namespace kiln {

/// `items` with `separator` between each two: `a, b, c`; empty for none.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// Every piece of `text` between `separator`s, empty ones included: `a::b`
/// gives `a`, ``, `b`; `a:` gives `a`, ``; `` gives one empty piece.
std::vector<std::string> split(std::string_view text, char separator);

/// The lines of `text`, without their `\n`: a final newline ends the last line
/// rather than starting an empty one, and `` has no lines.
std::vector<std::string> split_lines(std::string_view text);

/// `text` with ASCII letters in lowercase (for names that ignore case).
std::string lowercase(std::string_view text);

/// `text` without the blanks (space, tab, carriage return) around it.
std::string_view trim(std::string_view text);

}  // namespace kiln

#pragma once

// kiln's own lines, in a build's log and on a pusher's or a user's terminal:
// the prefix that tells them from a build's output, and the commands they
// point to. The hook, the runner and the cli all print them.

#include <string>
#include <string_view>

namespace kiln {

/// The start of every line kiln adds to a build's log or to what a push,
/// `kiln rebuild` or `kiln cancel` prints, so people and tests can tell
/// kiln's words from the build's.
inline constexpr std::string_view kLinePrefix = "[kiln] ";

/// `[kiln] <text>`.
std::string kiln_line(std::string_view text);

/// How to follow build `number` of `repo`: `kiln logs app 42 -f`.
std::string follow_command(const std::string& repo, int number);

/// How to read its result later: `kiln show app 42`.
std::string show_command(const std::string& repo, int number);

}  // namespace kiln

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

/// `[kiln] build app#42 queued (follow: FOLLOW)`: what the hook and `kiln
/// rebuild` print for each build they queue; `follow` is how to follow it
/// from where the reader is (follow_command, or it run over ssh).
std::string queued_line(const std::string& label, const std::string& follow);

/// How to read its result later: `kiln show app 42`.
std::string show_command(const std::string& repo, int number);

/// What a printed command holds where kiln cannot name the box's user or host:
/// plainly not a name, so nobody pastes it unchanged into a wrong login.
inline constexpr std::string_view kUserPlaceholder = "<user>";
inline constexpr std::string_view kHostPlaceholder = "<host>";

/// `command` as a pusher runs it on the build box, logged in as `user`:
/// `ssh git@buildbox kiln logs app 42 -f`. An empty `user` or `host` becomes
/// its placeholder.
std::string ssh_command(const std::string& user, const std::string& host, const std::string& command);

}  // namespace kiln

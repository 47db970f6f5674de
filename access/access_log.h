#pragma once

// `<state_dir>/access.log`: one line for everything `kiln shell` is asked, run
// or refused, for audit:
//   2026-12-01T23:40:11Z key=alice from=192.0.2.7 verdict=refused command="ls" reason="..."

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace kiln::access {

struct AccessEvent {
    std::int64_t time = 0;  ///< seconds since the epoch
    std::string key;
    std::string from;       ///< the client's address (SSH_CLIENT's first word)
    std::string command;    ///< as the client sent it
    std::string verdict;    ///< `allowed`, `refused` or `error`
    std::string reason;     ///< why, for a refusal or an error
};

/// `<state_dir>/access.log`.
std::filesystem::path access_log_file(const std::filesystem::path& state_dir);

/// `text` safe inside one double-quoted log field: `"` and `\` escaped, every
/// control or non-ASCII byte as `\xNN`, so a client cannot forge a line.
std::string escape_log_field(std::string_view text);

/// The line for `event`, with its newline.
std::string access_log_line(const AccessEvent& event);

/// Appends `event` to `file` (created 0600, O_APPEND, one write). Throws
/// StateError.
void append_access_log(const std::filesystem::path& file, const AccessEvent& event);

}  // namespace kiln::access

#pragma once

// The git user's authorized_keys as kiln edits it: one line per kiln key,
// `command="<kiln> shell [--config <file>] NAME",no-pty,... TYPE BASE64 kiln:NAME`,
// and every other line left byte for byte. kiln recognises its own lines by
// their forced command, not by a comment anyone could write.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/public_key.h"

namespace kiln::access {

/// The options every kiln line carries after its command.
inline constexpr std::string_view kKeyRestrictions =
    "no-pty,no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-user-rc";

/// One line of the file, as read.
struct AuthorizedLine {
    std::string text;                       ///< the line without its newline, byte for byte
    std::optional<std::string> kiln_key;    ///< the key name, when it is a line kiln wrote
    std::optional<std::string> key_base64;  ///< the key it authorizes, when it has one
};

/// The lines of an authorized_keys file (blank lines and comments included).
std::vector<AuthorizedLine> parse_authorized_keys(std::string_view content);

/// `lines` as a file again: each line and a newline.
std::string render_authorized_keys(const std::vector<AuthorizedLine>& lines);

/// What kiln's forced command runs: this kiln, and the config file it reads
/// (empty: the built-in defaults, then the line names none).
struct ShellTarget {
    std::filesystem::path kiln;
    std::filesystem::path config_file;
};

/// The line for key `name`. Throws UsageError when a path holds a character an
/// authorized_keys command cannot carry safely (a quote, a backslash, a control
/// character).
AuthorizedLine kiln_line(const ShellTarget& target, const std::string& name, const PublicKey& key);

/// The key name of `options` (the options field of a line) when its
/// `command="..."` is `<dir>/kiln shell [--config FILE] NAME`; nothing otherwise.
std::optional<std::string> kiln_key_of_options(std::string_view options);

}  // namespace kiln::access

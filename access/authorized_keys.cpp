#include "access/authorized_keys.h"

#include <algorithm>

#include "access/shell_words.h"
#include "common/error.h"
#include "common/text.h"

namespace kiln::access {
namespace {

constexpr std::string_view kCommandOption = "command=\"";

bool blank(char c) { return c == ' ' || c == '\t'; }

// The next field of `line` from `pos`: up to a blank outside double quotes
// (an options field quotes its values and escapes `"` inside them as `\"`).
std::string_view next_field(std::string_view line, std::size_t& pos) {
    while (pos < line.size() && blank(line[pos])) {
        ++pos;
    }
    const std::size_t start = pos;
    bool quoted = false;
    for (; pos < line.size(); ++pos) {
        const char c = line[pos];
        if (quoted && c == '\\' && pos + 1 < line.size()) {
            ++pos;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && blank(c)) {
            break;
        }
    }
    return line.substr(start, pos - start);
}

// The value of the `command="..."` option, unescaped; nothing when absent.
std::optional<std::string> command_option(std::string_view options) {
    std::size_t pos = 0;
    while (pos < options.size()) {
        const bool at_command = options.size() - pos >= kCommandOption.size() &&
                                lowercase(options.substr(pos, kCommandOption.size())) == kCommandOption;
        if (at_command) {
            std::string value;
            for (pos += kCommandOption.size(); pos < options.size() && options[pos] != '"'; ++pos) {
                if (options[pos] == '\\' && pos + 1 < options.size() && options[pos + 1] == '"') {
                    ++pos;
                }
                value.push_back(options[pos]);
            }
            return value;
        }
        // Skip to the next option: past a comma outside quotes.
        bool quoted = false;
        for (; pos < options.size(); ++pos) {
            if (options[pos] == '\\' && quoted && pos + 1 < options.size()) {
                ++pos;
            } else if (options[pos] == '"') {
                quoted = !quoted;
            } else if (options[pos] == ',' && !quoted) {
                ++pos;
                break;
            }
        }
    }
    return std::nullopt;
}

AuthorizedLine parse_line(std::string text) {
    AuthorizedLine line{std::move(text), std::nullopt, std::nullopt};
    std::size_t pos = 0;
    const std::string_view view = line.text;
    const std::string_view first = next_field(view, pos);
    if (first.empty() || first.front() == '#') {
        return line;
    }
    if (known_key_type(first) || first.starts_with("ssh-") || first.starts_with("ecdsa-")) {
        line.key_base64 = std::string(next_field(view, pos));
        return line;
    }
    next_field(view, pos);  // the key type
    line.key_base64 = std::string(next_field(view, pos));
    line.kiln_key = kiln_key_of_options(first);
    return line;
}

// A path as one word of the forced command, which sshd hands to the user's
// shell: quoted when it holds anything but the characters of ordinary paths.
std::string shell_word(const std::filesystem::path& path) {
    const std::string text = path.string();
    const bool bad = std::any_of(text.begin(), text.end(), [](char c) {
        return c == '"' || c == '\'' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (bad) {
        throw UsageError(describe("writing an authorized_keys line for '" + text + "'",
                                  "the path holds a quote, a backslash or a control character; move it to a plain path"));
    }
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("/._+,:=@%-").find(c) != std::string_view::npos;
    });
    return plain ? text : "'" + text + "'";
}

}  // namespace

std::optional<std::string> kiln_key_of_options(std::string_view options) {
    const std::optional<std::string> command = command_option(options);
    if (!command) {
        return std::nullopt;
    }
    const ShellWords split = split_shell_words(*command);
    const std::vector<std::string>& words = split.words;
    if (split.problem || words.size() < 3 || std::filesystem::path(words[0]).filename() != "kiln" ||
        words[1] != "shell") {
        return std::nullopt;
    }
    const bool plain = words.size() == 3;
    const bool with_config = words.size() == 5 && words[2] == "--config";
    if (!plain && !with_config) {
        return std::nullopt;
    }
    return words.back();
}

std::vector<AuthorizedLine> parse_authorized_keys(std::string_view content) {
    std::vector<AuthorizedLine> lines;
    for (std::string& text : split_lines(content)) {
        lines.push_back(parse_line(std::move(text)));
    }
    return lines;
}

std::string render_authorized_keys(const std::vector<AuthorizedLine>& lines) {
    std::string out;
    for (const AuthorizedLine& line : lines) {
        out += line.text;
        out += '\n';
    }
    return out;
}

AuthorizedLine kiln_line(const ShellTarget& target, const std::string& name, const PublicKey& key) {
    std::string command = shell_word(target.kiln) + " shell";
    if (!target.config_file.empty()) {
        command += " --config " + shell_word(target.config_file);
    }
    command += " " + name;
    std::string text =
        "command=\"" + command + "\"," + std::string(kKeyRestrictions) + " " + key.text() + " kiln:" + name;
    return AuthorizedLine{std::move(text), name, key.base64};
}

}  // namespace kiln::access

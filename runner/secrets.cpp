#include "runner/secrets.h"

#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/atomic_file.h"
#include "common/build_variables.h"
#include "common/error.h"
#include "common/text.h"

namespace kiln::runner {
namespace {

/// The value of a quoted `raw` (first character is the quote), or the reason
/// it is malformed.
struct Unquoted {
    std::string value;
    std::string problem;
};

Unquoted unquote(std::string_view raw) {
    const char quote = raw[0];
    if (raw.size() < 2 || raw.back() != quote) {
        return {{}, std::string("unterminated ") + (quote == '"' ? "double" : "single") + " quote"};
    }
    const std::string_view inner = raw.substr(1, raw.size() - 2);
    if (quote == '\'') {
        if (inner.find('\'') != std::string_view::npos) {
            return {{}, "a single-quoted value cannot contain a single quote"};
        }
        return {std::string(inner), {}};
    }
    std::string value;
    for (std::size_t i = 0; i < inner.size(); ++i) {
        const char c = inner[i];
        if (c == '"') {
            return {{}, "unescaped double quote inside a double-quoted value"};
        }
        if (c != '\\') {
            value += c;
            continue;
        }
        if (i + 1 == inner.size()) {
            return {{}, "backslash at the end of a double-quoted value"};
        }
        switch (const char next = inner[++i]) {
        case 'n': value += '\n'; break;
        case 't': value += '\t'; break;
        case '"': value += '"'; break;
        case '\\': value += '\\'; break;
        case '$': value += '$'; break;
        default: return {{}, std::string("unknown escape \\") + next + " in a double-quoted value"};
        }
    }
    return {value, {}};
}

}  // namespace

std::filesystem::path secrets_file(const std::filesystem::path& secrets_dir, const std::string& repo) {
    return secrets_dir / (repo + ".env");
}

std::map<std::string, std::string> parse_secrets(const std::string& text, const std::string& source) {
    std::map<std::string, std::string> secrets;
    std::vector<std::string> problems;
    std::size_t line_number = 0;
    for (const std::string& text_line : split_lines(text)) {
        ++line_number;
        std::string_view line = trim(text_line);
        const auto report = [&](const std::string& what) {
            problems.push_back(source + ":" + std::to_string(line_number) + ": " + what);
        };
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.substr(0, 7) == "export " || line.substr(0, 7) == "export\t") {
            line = trim(line.substr(7));
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            report("expected KEY=VALUE");
            continue;
        }
        const std::string_view key = trim(line.substr(0, equals));
        if (!is_env_name(key)) {
            report("'" + std::string(key) + "' is not a variable name (letters, digits and _, not starting with a digit)");
            continue;
        }
        const std::string_view raw = trim(line.substr(equals + 1));
        if (!raw.empty() && (raw[0] == '"' || raw[0] == '\'')) {
            Unquoted unquoted = unquote(raw);
            if (!unquoted.problem.empty()) {
                report(unquoted.problem);
                continue;
            }
            secrets[std::string(key)] = std::move(unquoted.value);
        } else {
            secrets[std::string(key)] = std::string(raw);
        }
    }
    if (!problems.empty()) {
        throw ConfigError(join(problems, "\n"));
    }
    return secrets;
}

std::map<std::string, std::string> load_secrets(const std::filesystem::path& secrets_dir, const std::string& repo) {
    const std::filesystem::path file = secrets_file(secrets_dir, repo);
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        if (error && error != std::errc::no_such_file_or_directory) {
            throw StateError(describe("reading secrets '" + file.string() + "'", error.message()));
        }
        return {};
    }
    return parse_secrets(read_file(file), file.string());
}

SecretMask secret_mask_of(const std::filesystem::path& secrets_dir, const std::string& repo) {
    SecretMask mask;
    try {
        for (const auto& [key, value] : load_secrets(secrets_dir, repo)) {
            mask.add(value);
        }
    } catch (const Error&) {
        // The build that loaded them reported it; nothing to mask with.
    }
    return mask;
}

}  // namespace kiln::runner

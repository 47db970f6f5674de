#include "access/shell_words.h"

#include <cstdio>

namespace kiln::access {
namespace {

constexpr std::string_view kOperators = ";|&$`<>()#";

bool control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

std::string describe_char(char c) {
    if (c == '\n') {
        return "a newline";
    }
    if (control(c)) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "control character 0x%02x", static_cast<unsigned char>(c));
        return buffer;
    }
    return std::string("'") + c + "'";
}

ShellWords refused(std::string why) {
    ShellWords result;
    result.problem = std::move(why);
    return result;
}

}  // namespace

ShellWords split_shell_words(std::string_view text) {
    for (char c : text) {
        if (control(c) && c != '\t') {
            return refused("the command contains " + describe_char(c));
        }
    }
    ShellWords result;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t') {
            if (in_word) {
                result.words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            continue;
        }
        in_word = true;
        if (c == '\'') {
            const std::size_t end = text.find('\'', i + 1);
            if (end == std::string_view::npos) {
                return refused("the command has an unterminated single quote");
            }
            word.append(text.substr(i + 1, end - i - 1));
            i = end;
        } else if (c == '"') {
            for (++i;; ++i) {
                if (i >= text.size()) {
                    return refused("the command has an unterminated double quote");
                }
                const char q = text[i];
                if (q == '"') {
                    break;
                }
                if (q == '$' || q == '`') {
                    return refused("the command has " + describe_char(q) +
                                   " inside double quotes; kiln expands nothing: quote it with single quotes");
                }
                if (q == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
                    ++i;
                }
                word.push_back(text[i]);
            }
        } else if (c == '\\') {
            if (i + 1 >= text.size()) {
                return refused("the command ends with a backslash");
            }
            word.push_back(text[++i]);
        } else if (c == '#' && i > 0 && text[i - 1] != ' ' && text[i - 1] != '\t') {
            // As in sh, `#` starts a comment only at the start of a word;
            // inside one (`app#42`, a build number) it is a character.
            word.push_back(c);
        } else if (kOperators.find(c) != std::string_view::npos) {
            return refused("the command has " + describe_char(c) +
                           " outside quotes; kiln runs no shell, so it takes no operators or expansions");
        } else {
            word.push_back(c);
        }
    }
    if (in_word) {
        result.words.push_back(std::move(word));
    }
    return result;
}

}  // namespace kiln::access

#pragma once

// The words of SSH_ORIGINAL_COMMAND, split the way a POSIX shell splits them but
// never expanded: `kiln shell` reads what the client asked for without handing
// it to a shell, so anything a shell would act on instead of quoting is refused.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::access {

struct ShellWords {
    std::vector<std::string> words;
    std::optional<std::string> problem;  ///< set: the text is refused, `words` is empty
};

/// Splits `text` at blanks (space, tab) into words, honouring single quotes
/// (literal), double quotes (literal but for `\"` and `\\`) and a backslash
/// before any character outside quotes. Refused, with the reason: a control
/// character anywhere (newline and NUL included), an unterminated quote, one
/// of `;|&$`<>()#` outside quotes, and `$` or a backquote inside double quotes
/// (kiln expands nothing, so a client that expected expansion is told so).
ShellWords split_shell_words(std::string_view text);

}  // namespace kiln::access

#include "repos/hook_stub.h"

#include <unistd.h>

#include <vector>

namespace kiln::repos {
namespace {

constexpr const char* kStubHead =
    "#!/bin/sh\n"
    "# Installed by `kiln init`; running `kiln init` again rewrites it.\n";

std::string shell_quote(const std::string& word) {
    std::string quoted = "'";
    for (const char c : word) {
        quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// The words of one line as sh splits them, for the quoting shell_quote()
// writes (single quotes, `\'` between them) and plain words; nothing for a
// line with other shell syntax, which no stub holds.
std::optional<std::vector<std::string>> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::optional<std::string> word;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == ' ') {
            if (word) {
                words.push_back(*word);
                word.reset();
            }
        } else if (c == '\'') {
            const std::size_t end = line.find('\'', i + 1);
            if (end == std::string::npos) {
                return std::nullopt;
            }
            word = word.value_or("") + line.substr(i + 1, end - i - 1);
            i = end;
        } else if (c == '\\' && i + 1 < line.size()) {
            word = word.value_or("") + line[++i];
        } else if (std::string("\"$`;&|<>()*?[]#~\t").find(c) != std::string::npos) {
            return std::nullopt;
        } else {
            word = word.value_or("") + c;
        }
    }
    if (word) {
        words.push_back(*word);
    }
    return words;
}

}  // namespace

std::string post_receive_stub(const HookTarget& target) {
    std::string command = shell_quote(target.executable.string());
    if (target.config_file) {
        command += " --config " + shell_quote(target.config_file->string());
    }
    return std::string(kStubHead) + "exec " + command + " hook post-receive\n";
}

std::optional<HookTarget> parse_post_receive_stub(const std::string& text) {
    if (!text.starts_with(kStubHead) || !text.ends_with('\n')) {
        return std::nullopt;
    }
    const std::string line = text.substr(std::string(kStubHead).size(), text.size() - std::string(kStubHead).size() - 1);
    const std::optional<std::vector<std::string>> words = split_words(line);
    if (!words || (words->size() != 4 && words->size() != 6) || words->front() != "exec" ||
        (*words)[words->size() - 2] != "hook" || words->back() != "post-receive") {
        return std::nullopt;
    }
    HookTarget target{(*words)[1], std::nullopt};
    if (words->size() == 6) {
        if ((*words)[2] != "--config") {
            return std::nullopt;
        }
        target.config_file = (*words)[3];
    }
    return target;
}

HookTarget hook_target(const std::filesystem::path& kiln_executable, const std::filesystem::path& config_source) {
    // kiln-hook starts in a fraction of kiln's time; a kiln copied alone
    // still gets a working (slower) hook.
    const std::filesystem::path lean = kiln_executable.parent_path() / "kiln-hook";
    HookTarget target{::access(lean.c_str(), X_OK) == 0 ? lean : kiln_executable, std::nullopt};
    if (!config_source.empty()) {
        target.config_file = std::filesystem::absolute(config_source);
    }
    return target;
}

}  // namespace kiln::repos

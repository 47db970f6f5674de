#include "doctor/image_tools.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "common/text.h"

namespace kiln::doctor {
namespace {

constexpr const char* kBuilderVariable = "BUILDER";

std::string trimmed(std::string_view text) {
    return std::string(trim(text));
}

bool plain_word(const std::string& value) {
    return !value.empty() && value.find_first_of(" \t$()") == std::string::npos;
}

}  // namespace

std::optional<std::string> makefile_assignment(const std::string& makefile, const std::string& variable) {
    std::istringstream stream(makefile);
    std::string line;
    while (std::getline(stream, line)) {
        if (line.starts_with('\t')) {
            continue;  // a recipe line is shell, not an assignment
        }
        line = trimmed(line.substr(0, line.find('#')));
        if (!line.starts_with(variable)) {
            continue;
        }
        const std::string rest = trimmed(line.substr(variable.size()));
        for (const char* op : {"?=", "::=", ":=", "="}) {
            const std::string assign(op);
            if (rest.starts_with(assign)) {
                const std::string value = trimmed(rest.substr(assign.size()));
                return value.empty() ? std::nullopt : std::optional<std::string>(value);
            }
        }
    }
    return std::nullopt;
}

std::vector<std::string> tools_named(const std::string& value) {
    static const std::array<std::string, 3> kKnown{"buildah", "podman", "docker"};
    std::vector<std::pair<std::size_t, std::string>> found;
    for (const std::string& tool : kKnown) {
        for (std::size_t at = value.find(tool); at != std::string::npos; at = value.find(tool, at + 1)) {
            const bool word_start = at == 0 || value.find_first_of(" \t,($", at - 1) == at - 1;
            const std::size_t end = at + tool.size();
            const bool word_end = end == value.size() || value.find_first_of(" \t,)", end) == end;
            if (word_start && word_end) {
                found.emplace_back(at, tool);
                break;
            }
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> tools;
    for (auto& [at, tool] : found) {
        tools.push_back(std::move(tool));
    }
    return tools;
}

std::optional<ImageTool> image_tool(const config::RepoConfig& repo, const std::string& makefile_name,
                                    const std::optional<std::string>& makefile, const ToolInstalled& installed) {
    if (const auto it = repo.env.find(kBuilderVariable); it != repo.env.end() && plain_word(it->second)) {
        return ImageTool{it->second, std::string("env ") + kBuilderVariable};
    }
    if (!makefile) {
        return std::nullopt;
    }
    const std::optional<std::string> value = makefile_assignment(*makefile, kBuilderVariable);
    if (!value) {
        return std::nullopt;
    }
    const std::string source = makefile_name + "'s default " + kBuilderVariable;
    if (plain_word(*value)) {
        return ImageTool{*value, source};
    }
    const std::vector<std::string> choices = tools_named(*value);
    if (choices.empty()) {
        return std::nullopt;
    }
    const auto chosen = std::find_if(choices.begin(), choices.end(), installed);
    return ImageTool{chosen == choices.end() ? choices.front() : *chosen,
                     source + ", the first installed of " + join(choices, ", ")};
}

}  // namespace kiln::doctor

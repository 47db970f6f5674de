#include "doctor/image_tools.h"

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
                return plain_word(value) ? std::optional<std::string>(value) : std::nullopt;
            }
        }
    }
    return std::nullopt;
}

std::optional<ImageTool> image_tool(const config::RepoConfig& repo, const std::string& makefile_name,
                                    const std::optional<std::string>& makefile) {
    if (const auto it = repo.env.find(kBuilderVariable); it != repo.env.end() && plain_word(it->second)) {
        return ImageTool{it->second, std::string("env ") + kBuilderVariable};
    }
    if (!makefile) {
        return std::nullopt;
    }
    if (std::optional<std::string> value = makefile_assignment(*makefile, kBuilderVariable)) {
        return ImageTool{*value, makefile_name + "'s default " + kBuilderVariable};
    }
    return std::nullopt;
}

}  // namespace kiln::doctor

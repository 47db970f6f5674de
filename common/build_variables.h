#pragma once

// The variables kiln sets for every build (docs/design.md, Reference). The
// runner sets them last, and the config refuses an `env:` entry that names
// one, so a build cannot pretend to be another one.

#include <string_view>

namespace kiln {

/// Every variable whose name starts with this is kiln's (KILN_REPO,
/// KILN_SHA, ...), including ones a later kiln adds.
inline constexpr std::string_view kKilnVariablePrefix = "KILN_";
/// `host:port` of the registry, also given to make on its command line.
inline constexpr const char* kRegistryVariable = "REGISTRY";
/// `REGISTRY/<image name>:<sha>`, also given to make on its command line.
inline constexpr const char* kImageVariable = "IMAGE";

/// True if `name` can name an environment variable a Makefile reads:
/// [A-Za-z_][A-Za-z0-9_]*. The rule for `env:` keys and secrets files alike.
inline bool is_env_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    for (const char c : name) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

/// True if kiln sets `name` for every build, so nothing else may.
inline bool is_build_variable(std::string_view name) {
    return name.starts_with(kKilnVariablePrefix) || name == kRegistryVariable || name == kImageVariable;
}

}  // namespace kiln

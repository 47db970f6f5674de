#include "config/config_search.h"

#include <cstdlib>

namespace kiln::config {
namespace {

// Any file that exists, even one we cannot read: better to fail on it with a
// clear error than to fall back silently to the next one.
bool file_present(const std::filesystem::path& path) {
    std::error_code ignored;
    return std::filesystem::exists(path, ignored);
}

}  // namespace

std::optional<ConfigLocation> find_config_file(const std::optional<std::filesystem::path>& explicit_path,
                                               const std::filesystem::path& system_file) {
    if (explicit_path) {
        return ConfigLocation{*explicit_path, "--config"};
    }
    if (const char* from_env = std::getenv("KILN_CONFIG"); from_env != nullptr && *from_env != '\0') {
        return ConfigLocation{from_env, "$KILN_CONFIG"};
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        const std::filesystem::path user_file = std::filesystem::path(home) / ".config/kiln/config.yaml";
        if (file_present(user_file)) {
            return ConfigLocation{user_file, ""};
        }
    }
    if (file_present(system_file)) {
        return ConfigLocation{system_file, ""};
    }
    return std::nullopt;
}

}  // namespace kiln::config

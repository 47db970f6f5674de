#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kiln::config {

/// The system-wide config file, the last place searched.
inline const std::filesystem::path kSystemConfigFile = "/etc/kiln/config.yaml";

/// A config file to read, and why that one.
struct ConfigLocation {
    std::filesystem::path path;
    std::string named_by;  ///< `--config` or `$KILN_CONFIG` (then it must exist); empty when found by search
};

/// The config file in effect: `explicit_path` (from --config), else
/// $KILN_CONFIG (when set and not empty), else ~/.config/kiln/config.yaml (when
/// $HOME is set and the file exists), else `system_file` when it exists, else
/// nothing (built-in defaults). Looks at the environment at each call.
std::optional<ConfigLocation> find_config_file(const std::optional<std::filesystem::path>& explicit_path,
                                               const std::filesystem::path& system_file = kSystemConfigFile);

}  // namespace kiln::config

#pragma once

// Reading a config file from disk, with errors that say which file and who
// named it. Internal to config/.

#include <filesystem>
#include <string>

namespace kiln::config {

/// The whole text of `path`. `named_by` (`--config`, `$KILN_CONFIG` or empty)
/// goes into the message. Throws ConfigError when it cannot be read.
std::string read_config_file(const std::filesystem::path& path, const std::string& named_by = "");

}  // namespace kiln::config

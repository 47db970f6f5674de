#include "config/config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace kiln::config {

std::string read_config_file(const std::filesystem::path& path, const std::string& named_by) {
    const std::string doing =
        "reading config '" + path.string() + "'" + (named_by.empty() ? "" : " (named by " + named_by + ")");
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        throw ConfigError(describe(doing, "it is a directory"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError(describe(doing, std::strerror(errno)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw ConfigError(describe(doing, std::strerror(errno)));
    }
    return text.str();
}

}  // namespace kiln::config

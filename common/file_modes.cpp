#include "common/file_modes.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <sys/stat.h>

#include "common/error.h"

namespace kiln {

void create_private_dirs(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> missing;
    std::error_code ec;
    for (std::filesystem::path at = dir; !at.empty() && !std::filesystem::exists(at, ec);
         at = at.parent_path()) {
        missing.push_back(at);
        if (at == at.parent_path()) {
            break;
        }
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), kPrivateDirMode) != 0 && errno != EEXIST) {
            throw StateError(describe("creating '" + it->string() + "'", std::strerror(errno)));
        }
        // mkdir's mode passes through the umask; 0700 must not become less.
        if (::chmod(it->c_str(), kPrivateDirMode) != 0) {
            throw StateError(describe("making '" + it->string() + "' private", std::strerror(errno)));
        }
    }
}

std::optional<unsigned> loose_mode(const std::filesystem::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0 || (info.st_mode & 077) == 0) {
        return std::nullopt;
    }
    return static_cast<unsigned>(info.st_mode & 07777);
}

std::string mode_text(unsigned mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777);
    return text;
}

std::optional<std::string> readable_by_others(const std::filesystem::path& file, const std::string& what) {
    const std::optional<unsigned> mode = loose_mode(file);
    if (!mode) {
        return std::nullopt;
    }
    return "'" + file.string() + "' (" + what + ") can be read by other users (mode " + mode_text(*mode) +
           "); fix: chmod 600 '" + file.string() + "'";
}

}  // namespace kiln

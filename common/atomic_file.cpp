#include "common/atomic_file.h"

#include <fstream>
#include <sstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"

namespace kiln {

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode) {
    const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
    {
        UniqueFd fd(check_errno(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode),
                                "creating '" + tmp.string() + "'"));
        std::string_view rest = content;
        while (!rest.empty()) {
            const ssize_t written = ::write(fd.get(), rest.data(), rest.size());
            if (written < 0 && errno == EINTR) {
                continue;
            }
            check_errno(written < 0 ? -1 : 0, "writing '" + tmp.string() + "'");
            rest.remove_prefix(static_cast<std::size_t>(written));
        }
        check_errno(::fsync(fd.get()), "flushing '" + tmp.string() + "'");
    }
    check_errno(::rename(tmp.c_str(), path.c_str()), "renaming '" + tmp.string() + "' to '" + path.string() + "'");
    sync_directory(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw StateError("reading '" + path.string() + "': cannot open it");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void sync_directory(const std::filesystem::path& dir) {
    UniqueFd fd(check_errno(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), "opening '" + dir.string() + "'"));
    check_errno(::fsync(fd.get()), "flushing directory '" + dir.string() + "'");
}

}  // namespace kiln

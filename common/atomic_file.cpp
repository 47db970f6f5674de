#include "common/atomic_file.h"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"

namespace kiln {
namespace {

// The temp file of one write: removed again unless it was renamed into place,
// so a write that fails (a full disk at write, fsync or rename) leaves nothing
// behind that would fill the disk further or look like state. The name holds
// our pid, so whatever is there under it is ours to remove.
class TempFile {
public:
    explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (!path_.empty()) {
            ::unlink(path_.c_str());
        }
    }
    const std::filesystem::path& path() const { return path_; }
    void renamed() { path_.clear(); }

private:
    std::filesystem::path path_;
};

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode) {
    // Every step names the file the caller asked for: the temp file is gone
    // when the error is read, and `writing '.../build.json': No space left on
    // device` says what was lost.
    const std::string doing = "writing '" + path.string() + "'";
    TempFile tmp(path.string() + ".tmp." + std::to_string(::getpid()));
    {
        UniqueFd fd(check_errno(::open(tmp.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode), doing));
        std::string_view rest = content;
        while (!rest.empty()) {
            const ssize_t written = ::write(fd.get(), rest.data(), rest.size());
            if (written < 0 && errno == EINTR) {
                continue;
            }
            check_errno(written < 0 ? -1 : 0, doing);
            rest.remove_prefix(static_cast<std::size_t>(written));
        }
        check_errno(::fsync(fd.get()), doing);
        // close() is where NFS and some FUSE file systems report a full disk.
        check_errno(::close(fd.release()), doing);
    }
    check_errno(::rename(tmp.path().c_str(), path.c_str()), doing);
    tmp.renamed();
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

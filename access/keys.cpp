#include "access/keys.h"

#include <algorithm>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_modes.h"

namespace kiln::access {
namespace {

std::vector<AuthorizedLine> read_lines(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        return {};
    }
    return parse_authorized_keys(read_file(path));
}

void ensure_ssh_dir(const std::filesystem::path& dir) {
    std::error_code error;
    if (std::filesystem::is_directory(dir, error)) {
        return;
    }
    check_errno(::mkdir(dir.c_str(), kPrivateDirMode), "creating '" + dir.string() + "'");
}

}  // namespace

void rewrite_authorized_keys(const std::filesystem::path& path, const std::string& content) {
    ensure_ssh_dir(path.parent_path());
    struct stat old {};
    const bool existed = ::stat(path.c_str(), &old) == 0;
    write_file_atomic(path, content, existed ? (old.st_mode & 07777) : kPrivateFileMode);
    if (existed) {
        // The umask may have narrowed the mode, and root writes a file of its own.
        check_errno(::chmod(path.c_str(), old.st_mode & 07777), "setting the mode of '" + path.string() + "'");
        if (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) {
            check_errno(::chown(path.c_str(), old.st_uid, old.st_gid), "keeping the owner of '" + path.string() + "'");
        }
    }
}

void add_key(const KeyFiles& files, const KeyEntry& entry) {
    const KeysLock lock(files.state_dir);
    const std::filesystem::path store = keys_file(files.state_dir);
    KeyMap keys = read_keys(store);
    std::vector<AuthorizedLine> lines = read_lines(files.authorized_keys);
    const std::string doing = "adding key '" + entry.name + "'";

    const bool line_taken = std::any_of(lines.begin(), lines.end(), [&](const AuthorizedLine& line) {
        return line.kiln_key == entry.name;
    });
    if (keys.count(entry.name) != 0 || line_taken) {
        throw UsageError(describe(doing, "a key of that name exists; remove it first with 'kiln key rm " +
                                             entry.name + "'"));
    }
    for (const auto& [name, other] : keys) {
        if (other.key.base64 == entry.key.base64) {
            throw UsageError(describe(doing, "the same public key is already key '" + name + "'"));
        }
    }
    for (const AuthorizedLine& line : lines) {
        if (line.key_base64 == entry.key.base64) {
            throw UsageError(describe(doing, "the same public key is already in " + files.authorized_keys.string() +
                                                 (line.kiln_key ? " as key '" + *line.kiln_key + "'"
                                                                : " on a line kiln did not write; remove that line first")));
        }
    }
    AuthorizedLine line = kiln_line(files.shell, entry.name, entry.key);
    keys.emplace(entry.name, entry);
    write_keys(store, keys);
    lines.push_back(std::move(line));
    rewrite_authorized_keys(files.authorized_keys, render_authorized_keys(lines));
}

bool remove_key(const KeyFiles& files, const std::string& name) {
    const KeysLock lock(files.state_dir);
    const std::filesystem::path store = keys_file(files.state_dir);
    KeyMap keys = read_keys(store);
    std::vector<AuthorizedLine> lines = read_lines(files.authorized_keys);
    const auto kept = std::remove_if(lines.begin(), lines.end(), [&](const AuthorizedLine& line) {
        return line.kiln_key == name;
    });
    const bool had_line = kept != lines.end();
    if (!had_line && keys.count(name) == 0) {
        return false;
    }
    if (had_line) {
        lines.erase(kept, lines.end());
        rewrite_authorized_keys(files.authorized_keys, render_authorized_keys(lines));
    }
    if (keys.erase(name) != 0) {
        write_keys(store, keys);
    }
    return true;
}

}  // namespace kiln::access

#include "image-archive/archive_tar.h"

#include <memory>
#include <vector>

#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "common/error.h"
#include "common/text.h"

namespace kiln::registry {
namespace {

template <auto F>
struct Deleter {
    template <class T>
    void operator()(T* pointer) const noexcept {
        F(pointer);
    }
};
using ArchiveHandle = std::unique_ptr<archive, Deleter<archive_read_free>>;

// libarchive reads the file in blocks of this size; big blocks mean few
// syscalls, and a seek over member data costs nothing either way.
constexpr std::size_t kBlockSize = 1 << 20;
// Symlink chains longer than this are treated as loops.
constexpr int kMaxLinkDepth = 16;

std::string archive_problem(archive* handle) {
    const char* message = archive_error_string(handle);
    return message != nullptr ? message : "unknown libarchive error";
}

// A read handle for tar (ustar, pax, GNU) inside any compression filter;
// nothing when the content is not such an archive.
std::optional<ArchiveHandle> try_open_archive(const std::filesystem::path& path) {
    ArchiveHandle handle(archive_read_new());
    if (!handle) {
        throw RegistryError(describe("reading '" + path.string() + "'", "out of memory"));
    }
    archive_read_support_filter_all(handle.get());
    archive_read_support_format_tar(handle.get());
    if (archive_read_open_filename(handle.get(), path.c_str(), kBlockSize) != ARCHIVE_OK) {
        // A file that can be read but not opened as a tar is not one.
        if (::access(path.c_str(), R_OK) == 0) {
            return std::nullopt;
        }
        throw RegistryError(describe("reading '" + path.string() + "'", archive_problem(handle.get())));
    }
    return handle;
}

ArchiveHandle open_archive(const std::filesystem::path& path) {
    std::optional<ArchiveHandle> handle = try_open_archive(path);
    if (!handle) {
        throw RegistryError(describe("reading '" + path.string() + "'", "not a tar archive"));
    }
    return std::move(*handle);
}

std::string entry_name(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    if (name == nullptr) {
        name = archive_entry_pathname_utf8(entry);
    }
    return name != nullptr ? name : "";
}

std::string parent_of(const std::string& name) {
    const std::size_t slash = name.rfind('/');
    return slash == std::string::npos ? std::string() : name.substr(0, slash);
}

}  // namespace

std::string normalise_member_name(const std::string& name) {
    std::vector<std::string> parts;
    for (const std::string& part : split(name, '/')) {
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..") {
                parts.pop_back();
            } else {
                parts.push_back(part);
            }
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
    }
    return join(parts, "/");
}

std::optional<TarIndex> TarIndex::read(const std::filesystem::path& archive_path) {
    std::optional<ArchiveHandle> opened = try_open_archive(archive_path);
    if (!opened) {
        return std::nullopt;
    }
    ArchiveHandle handle = std::move(*opened);
    TarIndex index;
    index.path_ = archive_path;
    bool first = true;
    for (;;) {
        archive_entry* entry = nullptr;
        const int rc = archive_read_next_header(handle.get(), &entry);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc < ARCHIVE_WARN) {
            if (first) {
                return std::nullopt;
            }
            throw RegistryError(describe("reading '" + archive_path.string() + "'",
                                         "damaged tar archive: " + archive_problem(handle.get())));
        }
        first = false;
        const std::string name = normalise_member_name(entry_name(entry));
        Entry record;
        if (const char* hardlink = archive_entry_hardlink(entry); hardlink != nullptr) {
            record.kind = Entry::Kind::hardlink;
            record.target = normalise_member_name(hardlink);
        } else if (archive_entry_filetype(entry) == AE_IFLNK) {
            record.kind = Entry::Kind::symlink;
            const std::string target = archive_entry_symlink(entry) != nullptr ? archive_entry_symlink(entry) : "";
            record.target = normalise_member_name(target.starts_with("/") ? target : parent_of(name) + "/" + target);
        } else if (archive_entry_filetype(entry) == AE_IFREG) {
            record.kind = Entry::Kind::file;
            record.size = static_cast<std::uint64_t>(archive_entry_size(entry));
        }
        // A later member of the same name replaces an earlier one, as tar -x would.
        index.entries_[name] = record;
        if (archive_read_data_skip(handle.get()) != ARCHIVE_OK) {
            throw RegistryError(describe("reading '" + archive_path.string() + "'",
                                         "damaged tar archive: " + archive_problem(handle.get())));
        }
    }
    return index;
}

std::optional<TarMember> TarIndex::find(const std::string& name) const {
    std::string current = normalise_member_name(name);
    for (int depth = 0; depth < kMaxLinkDepth; ++depth) {
        const auto found = entries_.find(current);
        if (found == entries_.end()) {
            return std::nullopt;
        }
        switch (found->second.kind) {
            case Entry::Kind::file:
                return TarMember{current, found->second.size};
            case Entry::Kind::symlink:
            case Entry::Kind::hardlink:
                current = found->second.target;
                break;
            case Entry::Kind::other:
                return std::nullopt;
        }
    }
    return std::nullopt;
}

std::function<std::size_t(char*, std::size_t)> open_tar_member(const std::filesystem::path& archive_path,
                                                               const std::string& member) {
    auto handle = std::make_shared<ArchiveHandle>(open_archive(archive_path));
    const std::string doing = "reading '" + member + "' in '" + archive_path.string() + "'";
    for (;;) {
        archive_entry* entry = nullptr;
        const int rc = archive_read_next_header(handle->get(), &entry);
        if (rc == ARCHIVE_EOF) {
            throw RegistryError(describe(doing, "no such member"));
        }
        if (rc < ARCHIVE_WARN) {
            throw RegistryError(describe(doing, archive_problem(handle->get())));
        }
        if (normalise_member_name(entry_name(entry)) == member && archive_entry_filetype(entry) == AE_IFREG &&
            archive_entry_hardlink(entry) == nullptr) {
            break;
        }
        if (archive_read_data_skip(handle->get()) != ARCHIVE_OK) {
            throw RegistryError(describe(doing, archive_problem(handle->get())));
        }
    }
    return [handle, doing](char* buffer, std::size_t capacity) -> std::size_t {
        const la_ssize_t count = archive_read_data(handle->get(), buffer, capacity);
        if (count < 0) {
            throw RegistryError(describe(doing, archive_problem(handle->get())));
        }
        return static_cast<std::size_t>(count);
    };
}

}  // namespace kiln::registry

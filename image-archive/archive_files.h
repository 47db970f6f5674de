#pragma once

// Internal to the archive readers: the files of an image archive, whether it
// is a tar (any member order, links followed) or a directory, behind one view.

#include <filesystem>
#include <optional>
#include <string>

#include "image-archive/archive.h"
#include "image-archive/archive_tar.h"

namespace kiln::registry::detail {

/// RegistryError `reading image archive 'PATH': <why>`.
[[noreturn]] void archive_failure(const std::filesystem::path& archive, const std::string& why);

class ArchiveFiles {
public:
    /// Opens `path` as a directory or a tar; throws RegistryError otherwise.
    static ArchiveFiles open(const std::filesystem::path& path);

    bool is_directory() const { return !tar_; }
    const std::filesystem::path& path() const { return path_; }

    /// The regular file `name` (a relative path) resolves to, or nothing.
    std::optional<TarMember> find(const std::string& name) const;
    /// Where a found file's bytes are.
    BlobLocation location(const TarMember& member) const;
    /// The whole content of a small found file (manifests, configs, index.json).
    std::string read(const TarMember& member) const;

private:
    std::filesystem::path path_;
    std::optional<TarIndex> tar_;
};

/// True when `candidate` (a RepoTags entry or ref name) is `wanted`, or ends
/// in `/wanted` (so `app:1` selects `localhost/app:1`).
bool name_matches(const std::string& candidate, const std::string& wanted);

ImageArchive read_oci_layout(const ArchiveFiles& files, ArchiveFormat format, const std::string& select);
ImageArchive read_docker_save(const ArchiveFiles& files, const std::string& select);

}  // namespace kiln::registry::detail

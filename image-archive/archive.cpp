#include "image-archive/archive.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/posix.h"
#include "image-archive/archive_files.h"

namespace kiln::registry {
namespace detail {

namespace {
// Manifests are at most 4 MiB on 2.8; configs are smaller still. Anything
// bigger named as one is not what it claims to be, and is not read into memory.
constexpr std::uint64_t kMaxSmallFile = 16ULL << 20;
}  // namespace

void archive_failure(const std::filesystem::path& archive, const std::string& why) {
    throw RegistryError(describe("reading image archive '" + archive.string() + "'", why));
}

ArchiveFiles ArchiveFiles::open(const std::filesystem::path& path) {
    ArchiveFiles files;
    files.path_ = path;
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(path, error);
    if (status.type() == std::filesystem::file_type::not_found) {
        archive_failure(path, "no such file or directory");
    }
    if (status.type() == std::filesystem::file_type::directory) {
        return files;
    }
    if (status.type() != std::filesystem::file_type::regular) {
        archive_failure(path, "not a tar file or an OCI layout directory");
    }
    files.tar_ = TarIndex::read(path);
    if (!files.tar_) {
        archive_failure(path, "not a tar file or an OCI layout directory");
    }
    return files;
}

std::optional<TarMember> ArchiveFiles::find(const std::string& name) const {
    const std::string normal = normalise_member_name(name);
    if (tar_) {
        return tar_->find(normal);
    }
    if (normal.empty() || normal.starts_with("..")) {
        return std::nullopt;
    }
    std::error_code error;
    const std::filesystem::path file = path_ / normal;
    if (!std::filesystem::is_regular_file(file, error)) {
        return std::nullopt;
    }
    return TarMember{normal, static_cast<std::uint64_t>(std::filesystem::file_size(file, error))};
}

BlobLocation ArchiveFiles::location(const TarMember& member) const {
    if (tar_) {
        return BlobLocation{path_, member.name};
    }
    return BlobLocation{path_ / member.name, {}};
}

std::string ArchiveFiles::read(const TarMember& member) const {
    if (member.size > kMaxSmallFile) {
        archive_failure(path_, member.name + " is " + std::to_string(member.size) +
                                   " bytes, too big for a manifest or config");
    }
    const BlobLocation where = location(member);
    std::string content(member.size, '\0');
    std::size_t filled = 0;
    if (where.member.empty()) {
        UniqueFd fd(check_errno(::open(where.file.c_str(), O_RDONLY | O_CLOEXEC), "opening '" + where.file.string() + "'"));
        while (filled < content.size()) {
            const ssize_t count = ::read(fd.get(), content.data() + filled, content.size() - filled);
            if (count < 0 && errno == EINTR) {
                continue;
            }
            check_errno(count < 0 ? -1 : 0, "reading '" + where.file.string() + "'");
            if (count == 0) {
                break;
            }
            filled += static_cast<std::size_t>(count);
        }
    } else {
        auto reader = open_tar_member(where.file, where.member);
        while (filled < content.size()) {
            const std::size_t count = reader(content.data() + filled, content.size() - filled);
            if (count == 0) {
                break;
            }
            filled += count;
        }
    }
    if (filled != content.size()) {
        archive_failure(path_, member.name + " ended after " + std::to_string(filled) + " of " +
                                   std::to_string(content.size()) + " bytes");
    }
    return content;
}

bool name_matches(const std::string& candidate, const std::string& wanted) {
    return candidate == wanted || (candidate.size() > wanted.size() && candidate.ends_with(wanted) &&
                                   candidate[candidate.size() - wanted.size() - 1] == '/');
}

}  // namespace detail

const char* format_name(ArchiveFormat format) {
    switch (format) {
        case ArchiveFormat::docker_save:
            return "docker save";
        case ArchiveFormat::docker_oci:
            return "docker save (OCI)";
        case ArchiveFormat::oci_archive:
            return "OCI archive";
        case ArchiveFormat::oci_layout:
            return "OCI layout";
    }
    return "unknown";
}

ImageArchive read_image_archive(const std::filesystem::path& path, const std::string& select) {
    const detail::ArchiveFiles files = detail::ArchiveFiles::open(path);
    const bool has_index = files.find("index.json").has_value();
    const bool has_docker_manifest = files.find("manifest.json").has_value();
    // Docker 25 writes both; its OCI index is the richer description.
    if (has_index) {
        ArchiveFormat format = ArchiveFormat::oci_archive;
        if (has_docker_manifest) {
            format = ArchiveFormat::docker_oci;
        } else if (files.is_directory()) {
            format = ArchiveFormat::oci_layout;
        }
        return detail::read_oci_layout(files, format, select);
    }
    if (has_docker_manifest) {
        return detail::read_docker_save(files, select);
    }
    detail::archive_failure(path, "it has neither index.json (OCI) nor manifest.json (docker save)");
}

BlobStream::BlobStream(const ImageArchive& image, const ArchiveBlob& blob, bool hash)
    : archive_(image.path), blob_(blob), hash_(hash) {
    if (!blob.location.member.empty()) {
        source_ = open_tar_member(blob.location.file, blob.location.member);
        return;
    }
    const std::string file = blob.location.file.string();
    auto fd = std::make_shared<UniqueFd>(check_errno(::open(file.c_str(), O_RDONLY | O_CLOEXEC), "opening '" + file + "'"));
    source_ = [fd, file](char* buffer, std::size_t capacity) -> std::size_t {
        for (;;) {
            const ssize_t count = ::read(fd->get(), buffer, capacity);
            if (count < 0 && errno == EINTR) {
                continue;
            }
            check_errno(count < 0 ? -1 : 0, "reading '" + file + "'");
            return static_cast<std::size_t>(count);
        }
    };
}

std::size_t BlobStream::read(char* buffer, std::size_t capacity) {
    if (ended_) {
        return 0;
    }
    const std::size_t count = source_(buffer, capacity);
    if (count == 0) {
        ended_ = true;
        if (hash_) {
            actual_digest_ = hasher_.finish();
        }
        return 0;
    }
    if (hash_) {
        hasher_.update(buffer, count);
    }
    count_ += count;
    return count;
}

void BlobStream::finish() {
    const std::string what = blob_.location.member.empty() ? blob_.location.file.string() : blob_.location.member;
    char rest[4096];
    while (read(rest, sizeof rest) > 0) {
    }
    if (count_ != blob_.size) {
        detail::archive_failure(archive_, what + " is " + std::to_string(count_) + " bytes, the manifest says " +
                                              std::to_string(blob_.size));
    }
    if (hash_ && actual_digest_ != blob_.digest) {
        detail::archive_failure(archive_, what + " does not match its digest: the manifest says " + blob_.digest +
                                              ", the content is " + actual_digest_);
    }
}

std::string compressed_media_type(const std::string& media_type) {
    if (media_type.ends_with(".tar") && media_type.starts_with("application/vnd.docker.")) {
        return media_type + ".gzip";
    }
    if (media_type.ends_with(".tar")) {
        return media_type + "+gzip";
    }
    return media_type;
}

std::string rewrite_manifest(const ArchiveManifest& manifest, const std::map<std::string, Replacement>& replacements) {
    nlohmann::ordered_json document;
    try {
        document = nlohmann::ordered_json::parse(manifest.bytes);
    } catch (const nlohmann::json::exception& error) {
        throw RegistryError(describe("rewriting manifest " + manifest.digest, error.what()));
    }
    bool changed = false;
    const auto replace = [&](nlohmann::ordered_json& descriptor) {
        if (!descriptor.is_object() || !descriptor.contains("digest") || !descriptor["digest"].is_string()) {
            return;
        }
        const auto found = replacements.find(descriptor["digest"].get<std::string>());
        if (found == replacements.end()) {
            return;
        }
        descriptor["digest"] = found->second.digest;
        descriptor["size"] = found->second.size;
        if (!found->second.media_type.empty()) {
            descriptor["mediaType"] = found->second.media_type;
        }
        changed = true;
    };
    if (document.contains("config")) {
        replace(document["config"]);
    }
    for (const char* list : {"layers", "manifests"}) {
        if (document.contains(list) && document[list].is_array()) {
            for (nlohmann::ordered_json& descriptor : document[list]) {
                replace(descriptor);
            }
        }
    }
    return changed ? document.dump() : manifest.bytes;
}

}  // namespace kiln::registry

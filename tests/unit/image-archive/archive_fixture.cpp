#include "tests/unit/image-archive/archive_fixture.h"

#include <fstream>
#include <memory>
#include <stdexcept>

#include <archive.h>
#include <archive_entry.h>

#include "registry-client/digest.h"

namespace kiln::test {
namespace {

struct ArchiveWriteFree {
    void operator()(archive* handle) const noexcept { archive_write_free(handle); }
};
struct EntryFree {
    void operator()(archive_entry* entry) const noexcept { archive_entry_free(entry); }
};

void check(int rc, archive* handle) {
    if (rc != ARCHIVE_OK) {
        throw std::runtime_error(std::string("writing test tar: ") + archive_error_string(handle));
    }
}

}  // namespace

void write_tar(const std::filesystem::path& path, const std::vector<TarEntry>& entries) {
    std::unique_ptr<archive, ArchiveWriteFree> handle(archive_write_new());
    check(archive_write_set_format_pax_restricted(handle.get()), handle.get());
    check(archive_write_open_filename(handle.get(), path.c_str()), handle.get());
    for (const TarEntry& item : entries) {
        std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), item.name.c_str());
        if (item.link.empty()) {
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_perm(entry.get(), 0644);
            archive_entry_set_size(entry.get(), static_cast<la_int64_t>(item.content.size()));
        } else {
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_perm(entry.get(), 0777);
            archive_entry_set_symlink(entry.get(), item.link.c_str());
        }
        check(archive_write_header(handle.get(), entry.get()), handle.get());
        if (!item.content.empty() &&
            archive_write_data(handle.get(), item.content.data(), item.content.size()) !=
                static_cast<la_ssize_t>(item.content.size())) {
            throw std::runtime_error("writing test tar data");
        }
    }
    check(archive_write_close(handle.get()), handle.get());
}

std::string descriptor(const std::string& media_type, const std::string& content, const std::string& extra) {
    return R"({"mediaType":")" + media_type + R"(","digest":")" + registry::sha256_digest(content) +
           R"(","size":)" + std::to_string(content.size()) + extra + "}";
}

std::string OciLayout::add_blob(const std::string& content) {
    const std::string digest = registry::sha256_digest(content);
    entries_.push_back({"blobs/sha256/" + digest.substr(7), content, {}});
    return digest;
}

std::string OciLayout::add_manifest(const std::string& config, const std::vector<std::string>& layers,
                                    const std::string& layer_type) {
    add_blob(config);
    std::string manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" +
                           descriptor("application/vnd.oci.image.config.v1+json", config) + R"(,"layers":[)";
    for (std::size_t i = 0; i < layers.size(); ++i) {
        add_blob(layers[i]);
        manifest += (i > 0 ? "," : "") + descriptor(layer_type, layers[i]);
    }
    manifest += R"(],"annotations":{"zz":"last","aa":"first"}})";
    add_blob(manifest);
    return manifest;
}

void OciLayout::set_index(const std::vector<std::string>& descriptors) {
    std::string index = R"({"schemaVersion":2,"manifests":[)";
    for (std::size_t i = 0; i < descriptors.size(); ++i) {
        index += (i > 0 ? "," : "") + descriptors[i];
    }
    add_file("index.json", index + "]}");
}

void OciLayout::add_file(const std::string& name, const std::string& content) {
    entries_.push_back({name, content, {}});
}

void OciLayout::write_directory(const std::filesystem::path& dir) const {
    for (const TarEntry& entry : entries_) {
        std::filesystem::create_directories((dir / entry.name).parent_path());
        std::ofstream(dir / entry.name, std::ios::binary) << entry.content;
    }
}

}  // namespace kiln::test

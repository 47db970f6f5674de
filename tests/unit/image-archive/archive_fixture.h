#pragma once

// Image archives built in memory for the reader tests: OCI layouts with real
// digests, `docker save` tarballs with symlinked layers, written as a
// directory or as a tar through libarchive's writer.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kiln::test {

/// One member of a tar to write: a file, or a symlink when `link` is set.
struct TarEntry {
    std::string name;
    std::string content;
    std::string link;
};

/// Writes `entries` in that order as a pax tar at `path`.
void write_tar(const std::filesystem::path& path, const std::vector<TarEntry>& entries);

/// A JSON descriptor `{"mediaType","digest","size"}` of `content`.
std::string descriptor(const std::string& media_type, const std::string& content, const std::string& extra = {});

/// The files of an OCI layout (oci-layout, index.json, blobs/sha256/*): add
/// blobs, then an index naming the manifests.
class OciLayout {
public:
    /// Adds `content` as a blob; returns its digest.
    std::string add_blob(const std::string& content);
    /// Adds a manifest with `config` and `layers` (typed `layer_type`); returns its bytes.
    std::string add_manifest(const std::string& config, const std::vector<std::string>& layers,
                             const std::string& layer_type);
    /// Sets index.json to list `descriptors` (JSON objects, comma-joined).
    void set_index(const std::vector<std::string>& descriptors);
    /// Adds any other file (manifest.json for Docker 25).
    void add_file(const std::string& name, const std::string& content);

    std::vector<TarEntry> entries() const { return entries_; }
    void write_directory(const std::filesystem::path& dir) const;
    void write_tar(const std::filesystem::path& path) const { kiln::test::write_tar(path, entries_); }

private:
    std::vector<TarEntry> entries_{{"oci-layout", R"({"imageLayoutVersion":"1.0.0"})", {}}};
};

}  // namespace kiln::test

#pragma once

// Image archives a build can leave without a Docker daemon, read into one
// neutral description of what to push: the blobs (where their bytes are) and
// the manifests (their exact bytes, children before the index).
//
// Formats, detected from content, never from the file name:
//   - `docker save` classic: manifest.json + <id>/layer.tar (uncompressed layers);
//   - Docker 25+ `docker save`: an OCI layout plus manifest.json (the OCI index wins);
//   - OCI archive: an OCI layout in a tar (`buildah push IMG oci-archive:F`);
//   - OCI layout directory (`buildah push IMG oci:DIR`).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "registry-client/digest.h"

namespace kiln::registry {

enum class ArchiveFormat { docker_save, docker_oci, oci_archive, oci_layout };

/// `docker save`, `docker save (OCI)`, `OCI archive`, `OCI layout`.
const char* format_name(ArchiveFormat format);

/// Where a blob's bytes are: a plain file, or a member of a tar archive.
struct BlobLocation {
    std::filesystem::path file;   ///< the blob file, or the tar archive holding it
    std::string member;           ///< empty: `file` itself; else the (link-resolved) tar member
};

/// One blob the manifests name, as it is in the archive.
struct ArchiveBlob {
    std::string digest;           ///< `sha256:<hex>` of the bytes in the archive
    std::uint64_t size = 0;
    std::string media_type;       ///< as the manifest names it
    BlobLocation location;
    bool config = false;          ///< an image config (pushed after the layers)
    /// An uncompressed layer: pushed gzipped, which gives it a new digest, size
    /// and media type (compressed_media_type()) in a rebuilt manifest.
    bool uncompressed = false;
};

/// One manifest or index to push.
struct ArchiveManifest {
    std::string media_type;
    std::string digest;           ///< sha256 of `bytes`
    std::string bytes;            ///< exactly as in the archive (or as built for `docker save`)
    std::vector<std::string> blobs;     ///< digests of its config and layers
    std::vector<std::string> children;  ///< digests of the manifests an index names
};

/// Everything an archive holds for one image, ready to push.
struct ImageArchive {
    std::filesystem::path path;
    ArchiveFormat format = ArchiveFormat::oci_layout;
    std::vector<ArchiveBlob> blobs;            ///< unique by digest; layers first, configs last
    std::vector<ArchiveManifest> manifests;    ///< push order: children first; the last is the image
    /// The name the image had inside the archive (`RepoTags`, ref name), if any.
    std::string name;
};

/// Reads the archive at `path` (a tar file or an OCI layout directory). When
/// it holds several images, `select` picks one by its `RepoTags` entry or its
/// `org.opencontainers.image.ref.name` / `io.containerd.image.name`
/// annotation. Small blobs (manifests, configs) are read and checked against
/// their digests here; layers are checked while they stream.
///
/// Throws RegistryError `reading image archive 'PATH': <problem>` when it is
/// not a tar or layout, has no manifest, names a missing blob, or a blob does
/// not match its digest or size.
ImageArchive read_image_archive(const std::filesystem::path& path, const std::string& select = {});

/// A reader of one blob's bytes: 0 at the end; `finish()` afterwards throws
/// RegistryError when the bytes did not match the digest or size the
/// manifest promised (the upload's result must then be thrown away).
class BlobStream {
public:
    /// Without `hash`, only the size is checked: for uploads whose client
    /// hashes the bytes itself (sha256 is the costliest step of a push).
    BlobStream(const ImageArchive& image, const ArchiveBlob& blob, bool hash = true);

    std::size_t read(char* buffer, std::size_t capacity);
    /// Bytes read so far.
    std::uint64_t bytes_read() const { return count_; }
    /// The size the manifest promised.
    std::uint64_t expected_size() const { return blob_.size; }
    /// True once read() returned 0.
    bool at_end() const { return ended_; }
    /// Reads what is left (a reader that stopped at the promised size has
    /// not seen the end yet), then throws RegistryError naming the archive
    /// and the blob when the bytes did not match the digest or size.
    void finish();

private:
    std::filesystem::path archive_;
    ArchiveBlob blob_;
    std::function<std::size_t(char*, std::size_t)> source_;
    Sha256 hasher_;
    bool hash_ = true;
    bool ended_ = false;
    std::uint64_t count_ = 0;
    std::string actual_digest_;   ///< set at the end of the stream
};

/// The media type of `media_type` after gzip: `…layer.v1.tar` ->
/// `…layer.v1.tar+gzip`, `…rootfs.diff.tar` -> `…rootfs.diff.tar.gzip`.
std::string compressed_media_type(const std::string& media_type);

/// A layer pushed under a new digest (after gzip): what replaces it in manifests.
struct Replacement {
    std::string digest;
    std::uint64_t size = 0;
    std::string media_type;
};

/// `manifest` with every descriptor whose digest is a key of `replacements`
/// rewritten (digest, size, mediaType), key order and every other field kept.
/// Returns the original bytes when nothing changes. Throws RegistryError when
/// the bytes are not JSON.
std::string rewrite_manifest(const ArchiveManifest& manifest, const std::map<std::string, Replacement>& replacements);

}  // namespace kiln::registry

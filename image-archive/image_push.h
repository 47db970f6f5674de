#pragma once

// Pushing an image archive (docker save, OCI archive, OCI layout) to a
// registry: `kiln image push`, and the runner after a build.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::registry {

/// Where one blob of the push stands, reported as it changes.
struct BlobProgress {
    enum class State {
        checking,     ///< HEAD: does the registry have it?
        uploading,    ///< being sent as it is
        compressing,  ///< being gzipped and sent at once
        skipped,      ///< the registry had it
        mounted,      ///< mounted from another repository of the registry
        uploaded,     ///< sent
    };
    std::string digest;          ///< as named in the archive
    std::string media_type;
    std::uint64_t size = 0;      ///< bytes in the archive
    std::uint64_t done = 0;      ///< bytes of it read so far
    State state = State::checking;
};

struct PushOptions {
    int jobs = 4;                    ///< blobs uploaded at once (one connection each)
    /// Called on every change, one call at a time (from worker threads); may be empty.
    std::function<void(const BlobProgress&)> progress;
    /// Holds blobs.json (uncompressed -> gzip digests, where blobs went); empty: no cache.
    std::filesystem::path cache_dir;
    /// Which image of a multi-image archive (RepoTags entry or ref name); empty: the only one.
    std::string select;
    /// Gzip uncompressed layers (docker save): smaller pulls, a new manifest.
    bool compress = true;
};

struct PushResult {
    std::string digest;              ///< of the manifest (or index) pushed under the reference
    std::string media_type;
    std::uint64_t size = 0;          ///< of that manifest
    int blobs_uploaded = 0;
    int blobs_skipped = 0;           ///< the registry had them
    int blobs_mounted = 0;
    std::uint64_t bytes_uploaded = 0;
};

/// Pushes the image in `archive` to `target` (its host must be the registry
/// `options` names), under its tag, or its digest that must then match: each unique
/// blob is HEADed and skipped when present, mounted when the cache knows
/// another repository holding it, else uploaded, `jobs` at a time; configs
/// after layers; then the manifests, children before the index. Uncompressed
/// layers are gzipped on the fly (or found compressed already through the
/// cache), which makes a new manifest. The digest the registry returns is
/// checked against sha256 of the bytes sent.
///
/// Throws RegistryError: a bad archive (`reading image archive '…': …`), a
/// registry failure, or a blob that did not match its digest.
PushResult push_image(const ClientOptions& options, const Reference& target, const std::filesystem::path& archive,
                      const PushOptions& push);

}  // namespace kiln::registry

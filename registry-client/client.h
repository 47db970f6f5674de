#pragma once

// The registry client: Docker Registry HTTP API V2 / OCI distribution, as
// distribution 2.8 (Debian's docker-registry, `registry:2`) speaks it.
// httplib.h stays out of this header; the transport lives in client.cpp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiln::registry {

/// Manifest media types the client sends and accepts. A PUT must carry exactly
/// the manifest's own type: 2.8 treats a missing or wrong one as schema1.
inline constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";

/// Where the registry is and how to talk to it.
struct ClientOptions {
    std::string url;                        ///< `http://host:port`, no path (config `registry.url`)
    std::string username;                   ///< empty: anonymous
    std::string password;
    int retries = 3;                        ///< extra attempts on connection errors, 429 and 5xx
    std::chrono::seconds timeout{300};      ///< longest silence on the socket while a blob is sent
    /// Total time for one request and its answer, however the peer trickles
    /// bytes. An upload earns kUploadFloorBytesPerSecond more time for each
    /// byte it sends. A request that runs out of it is not retried: a registry
    /// that does not answer in this long is hung, not restarting.
    std::chrono::seconds request_timeout{30};
    /// The whole operation ends here (a build's timeout): every request,
    /// retry and backoff stops at it with `<doing>: deadline reached`.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    /// Polled during requests and backoff (from another thread, so it must be
    /// thread-safe); true stops the operation with `<doing>: cancelled`.
    std::function<bool()> cancelled;
};

/// Caps on what the client reads into memory; a response over its cap is a
/// RegistryError `... sent more than N for ...`, read no further.
inline constexpr std::size_t kMaxManifestBytes = 4 * 1024 * 1024;   ///< distribution's own limit
inline constexpr std::size_t kMaxListPageBytes = 4 * 1024 * 1024;   ///< one tags/list or _catalog page
inline constexpr std::size_t kMaxListBytes = 64 * 1024 * 1024;      ///< all pages of one list
inline constexpr std::size_t kMaxConfigBlobBytes = 8 * 1024 * 1024; ///< get_blob's default (an image config)
inline constexpr std::size_t kMaxTokenBytes = 256 * 1024;           ///< a token server's reply
inline constexpr std::size_t kMaxErrorBytes = 64 * 1024;            ///< any other body (errors, upload replies)
/// The slowest upload the client waits for, after request_timeout.
inline constexpr std::uint64_t kUploadFloorBytesPerSecond = 32 * 1024;

/// Reads up to `capacity` bytes into `buffer`; returns 0 at the end. Throws on I/O errors.
using BlobReader = std::function<std::size_t(char* buffer, std::size_t capacity)>;
/// Opens a fresh reader positioned at the start of the blob (called again for a retry).
using BlobSource = std::function<BlobReader()>;
/// Told the running total of bytes sent for one blob; may be empty.
using Progress = std::function<void(std::uint64_t bytes_sent)>;

/// A blob's content address (`sha256:<64 hex>`) and size in bytes.
struct BlobDescriptor {
    std::string digest;
    std::uint64_t size = 0;
};

/// A manifest exactly as stored: `bytes` are hashed and sent verbatim, never
/// re-serialized (nlohmann's dump() would reorder keys and change the digest).
struct Manifest {
    std::string media_type;   ///< one of the k* media types above
    std::string digest;       ///< `sha256:<hex>` of `bytes`
    std::string bytes;
};

/// Result of a conditional manifest HEAD (`kiln watch`).
struct ManifestCheck {
    enum class State { changed, unchanged, missing };
    State state = State::missing;
    std::string digest;       ///< set when `changed`
};

/// One connection to one registry. Not thread-safe: use one per thread.
///
/// Every method throws kiln::RegistryError for failures, with a message of the
/// form `<doing what>: <why>`, e.g. `pushing blob sha256:ab12… to app: registry
/// said MANIFEST_BLOB_UNKNOWN: blob unknown to registry (sha256:…)` or `registry
/// http://127.0.0.1:5000 is not reachable: connection refused (...)`. Expected
/// "not found" outcomes are values (std::optional, bool). Connection errors, 429
/// and 5xx are retried `options.retries` times with backoff; a request that
/// got no complete answer within `options.request_timeout` is not. A 401 with a
/// `Bearer` challenge fetches a token (with the basic credentials) and retries;
/// a `Basic` challenge is answered with the credentials. Credentials go only
/// to the configured origin (and basic ones to the token realm its challenge
/// names): an upload Location or redirect to another host or port gets none.
class Client {
public:
    explicit Client(ClientOptions options);
    ~Client();
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// The configured base URL, e.g. `http://127.0.0.1:5000`.
    const std::string& url() const;
    /// `host:port` of the configured registry, as image references name it.
    const std::string& host() const;

    /// GET /v2/: checks the registry answers and the credentials work.
    void ping();

    /// HEAD the blob; its size if `repo` has it, nullopt on 404.
    std::optional<std::uint64_t> blob_size(const std::string& repo, const std::string& digest);

    /// Cross-repository mount of `digest` from `from_repo` into `repo`. True if
    /// mounted (201); false if the registry did not have it there (the upload
    /// session it opened instead is cancelled).
    bool mount_blob(const std::string& repo, const std::string& digest, const std::string& from_repo);

    /// Uploads a blob whose digest and size are known: POST, then one streaming
    /// PUT `<Location>&digest=`. Verifies the digest the registry returns and
    /// the byte count the source produced. After a broken transfer it asks the
    /// upload URL for its offset and resumes from there (re-opening `source`
    /// and skipping), else restarts.
    void upload_blob(const std::string& repo, const BlobDescriptor& blob, const BlobSource& source,
                     const Progress& progress = {});

    /// Uploads a blob whose digest is unknown until the end (gzip on the fly):
    /// POST, one chunked PATCH hashing as it goes (OpenSSL EVP SHA-256), then
    /// PUT `?digest=`. Returns the digest and size it computed, checked
    /// against the registry's.
    BlobDescriptor upload_blob_streaming(const std::string& repo, const BlobSource& source,
                                         const Progress& progress = {});

    /// GET a manifest by tag or digest with the full four-type Accept list;
    /// nullopt on 404. Verifies the body against a digest reference.
    std::optional<Manifest> get_manifest(const std::string& repo, const std::string& reference);

    /// HEAD a manifest with the full Accept list: its digest, nullopt on 404.
    /// Falls back to GET and hashing when Docker-Content-Digest is missing.
    std::optional<std::string> manifest_digest(const std::string& repo, const std::string& reference);

    /// HEAD with `If-None-Match: "<known_digest>"` (empty: unconditional): a
    /// 304 reads as `unchanged`, a 404 as `missing`.
    ManifestCheck check_manifest(const std::string& repo, const std::string& reference,
                                 const std::string& known_digest);

    /// PUT `manifest.bytes` under `reference` (tag or digest) with Content-Type
    /// `manifest.media_type`. Returns the digest, checked == sha256(bytes).
    std::string put_manifest(const std::string& repo, const std::string& reference, const Manifest& manifest);

    /// DELETE a manifest by digest. On 2.8 this removes every tag naming it;
    /// needs `storage.delete.enabled: true` (the error says so otherwise).
    void delete_manifest(const std::string& repo, const std::string& digest);

    /// Whether the registry deletes manifests (`storage.delete.enabled`), asked
    /// with a DELETE of a manifest that does not exist in `repo`: 2.8 answers
    /// 404 when deletes are enabled and 405 UNSUPPORTED when they are not, and
    /// deletes nothing either way. Throws for any other answer.
    bool deletes_enabled(const std::string& repo);

    /// The repository's tags, sorted; a `null` list reads as empty. Follows
    /// `Link` pages. Throws (NAME_UNKNOWN) for an unknown repository.
    std::vector<std::string> tags(const std::string& repo);

    /// Repository names with at least one tag, sorted. Follows the relative
    /// `Link` pages; hides repositories whose tags were all deleted (2.8 never
    /// drops them from the catalog).
    std::vector<std::string> catalog();

    /// GET a small blob (a config) into memory, its digest verified; one over
    /// `max_bytes` is a RegistryError.
    std::string get_blob(const std::string& repo, const std::string& digest,
                         std::size_t max_bytes = kMaxConfigBlobBytes);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The Accept header value listing all four manifest types.
const std::string& manifest_accept_list();

}  // namespace kiln::registry

#pragma once

// What earlier pushes learnt, kept in a file so later pushes skip work:
// uncompressed layer digest -> the gzip digest and size it was pushed as (a
// re-push HEADs that digest before compressing anything again), and blob
// digest -> the repositories it was pushed to (a new repository mounts it).

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kiln::registry {

struct CachedBlob {
    std::string digest;
    std::uint64_t size = 0;
};

/// `$XDG_CACHE_HOME/kiln`, else `~/.cache/kiln`; the runner uses
/// `<state_dir>/cache` instead.
std::filesystem::path default_cache_dir();

/// The cache in `<dir>/blobs.json`. Thread-safe. A cache is only a hint: a
/// missing or damaged file reads as empty, and a failed write is logged, not
/// thrown, because the push itself succeeded.
class BlobCache {
public:
    /// Loads the cache; an empty `dir` gives a cache that remembers nothing.
    explicit BlobCache(std::filesystem::path dir);

    /// What `uncompressed` was compressed to last time, if known.
    std::optional<CachedBlob> compressed(const std::string& uncompressed) const;
    /// Repositories (`name`, newest first) on registry `host` that received `digest`.
    std::vector<std::string> repositories(const std::string& host, const std::string& digest) const;

    void record_compressed(const std::string& uncompressed, const CachedBlob& compressed);
    void record_repository(const std::string& host, const std::string& repo, const std::string& digest);

    /// Merges what was recorded into the file (others may have written it
    /// meanwhile; a lock file orders writers) and replaces it atomically.
    void save();

private:
    struct Data {
        std::map<std::string, CachedBlob> compressed;
        std::map<std::string, std::vector<std::string>> repositories;  ///< digest -> `host/name`, newest first
    };
    static Data load(const std::filesystem::path& file);
    static void merge(Data& into, const Data& from);

    std::filesystem::path dir_;
    mutable std::mutex mutex_;
    Data data_;
    Data recorded_;
};

}  // namespace kiln::registry

#pragma once

// `kiln image gc` and the runner's scheduled collections: frees the disk that
// deleted manifests leave behind, in a registry kiln manages
// (registry.gc.config names its config file). distribution must not take
// writes while garbage-collect runs (a blob pushed meanwhile can be lost), and
// it must be restarted afterwards (its blob cache would go on reporting
// deleted blobs as present): so the registry is switched to read-only and
// restarted around it, while kiln's builds wait on the registry lock.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "registry-client/client.h"

namespace kiln::registry_gc {

struct GcOptions {
    bool delete_untagged = false;        ///< garbage-collect --delete-untagged
    bool dry_run = false;                ///< garbage-collect --dry-run; nothing else happens
    std::chrono::seconds wait{600};      ///< how long to wait for running builds
    /// Polled (a signal, the runner stopping): the gc stops after the step it
    /// is in, garbage-collect itself is terminated, and the registry is put back.
    std::function<bool()> stop_requested;
    /// Told what gc waits for, when it waits (`waiting for ...`).
    std::function<void(const std::string&)> progress;
};

struct GcResult {
    std::uint64_t before = 0;   ///< bytes under the storage root before
    std::uint64_t after = 0;    ///< and after
    /// A dry run: garbage-collect's summary (`N blobs marked, M blobs and K
    /// manifests eligible for deletion`); before == after.
    std::string summary;
};

/// Why kiln does not collect garbage in `registry` (registry.gc.config unset,
/// or its http.addr on another port than registry.url's), with what to set;
/// nothing when it does. Throws ConfigError when the registry's config
/// cannot be read or lacks http.addr or the storage root.
std::optional<std::string> unmanaged_reason(const config::RegistryConfig& registry);

/// Refuses (kiln::Error with unmanaged_reason) a registry kiln does not
/// manage. Otherwise takes the registry lock exclusively (waiting up to
/// `options.wait` for builds), measures the storage, switches the registry
/// read-only (restart, wait for /v2/), runs `docker-registry garbage-collect`,
/// switches it back (restart, wait), and measures again. `client` reaches the
/// registry (/v2/ is asked after each restart). garbage-collect's output is
/// in the error when it fails. Throws kiln::Error subclasses.
GcResult collect_garbage(const config::Config& config, const registry::ClientOptions& client,
                         const GcOptions& options);

/// `freed 1.2GB (3.4GB → 2.2GB)`.
std::string describe_freed(const GcResult& result);

}  // namespace kiln::registry_gc

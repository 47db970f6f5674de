#pragma once

// `kiln image inspect`: what an image reference names, read from its manifest
// and config blob.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::registry {

struct Platform {
    std::string os;
    std::string architecture;
    std::string variant;
    /// `linux/amd64`, `linux/arm/v7`, or "" when unknown.
    std::string str() const;
};

struct LayerInfo {
    std::string digest;
    std::string media_type;
    std::uint64_t size = 0;
};

/// One entry of a manifest list or OCI index.
struct ChildManifest {
    std::string digest;
    std::string media_type;
    std::uint64_t size = 0;
    Platform platform;
};

struct ImageInfo {
    std::string reference;                 ///< as given, host included
    std::string digest;                    ///< of the manifest
    std::string media_type;
    std::uint64_t manifest_size = 0;
    std::uint64_t size = 0;                ///< manifest + config + layers (image); sum of children (index)
    std::string config_digest;             ///< empty for an index
    std::vector<LayerInfo> layers;
    Platform platform;                     ///< from the config
    std::string created;                   ///< RFC 3339 from the config, or ""
    std::vector<ChildManifest> manifests;  ///< set for a manifest list / OCI index
};

/// True for Docker manifest lists and OCI indexes.
bool is_index(const std::string& media_type);

/// Reads the manifest `ref` names and, for an image, its config blob.
/// nullopt when the registry has no such manifest. Throws RegistryError.
std::optional<ImageInfo> inspect_image(Client& client, const Reference& ref);

/// The `created` time of the image `manifest` describes, from its config
/// (for an index: from its first child's). "" when it has none.
std::string image_created(Client& client, const std::string& repo, const Manifest& manifest);

/// Nanoseconds since the epoch of an RFC 3339 time (`Z` or `+HH:MM`), or
/// nullopt when `text` is not one. For ordering images by creation.
std::optional<long long> parse_rfc3339(const std::string& text);

}  // namespace kiln::registry

#pragma once

// Image references: `[HOST[:PORT]/]NAME[:TAG|@DIGEST]`, with the configured
// registry as the default host.

#include <optional>
#include <string>

#include "registry-client/client.h"

namespace kiln::registry {

struct Reference {
    std::string host;     ///< `host:port`; the default registry's when the text named none
    std::string name;     ///< repository, e.g. `app` or `team/app`
    std::string tag;      ///< empty when `digest` is set or for a bare repository
    std::string digest;   ///< `sha256:<hex>`, or empty

    /// Tag or digest, as it goes in `/v2/<name>/manifests/<reference>`.
    const std::string& reference() const { return digest.empty() ? tag : digest; }
    /// `host/name:tag`, `host/name@digest` or `host/name`.
    std::string str() const;
};

/// Parses an image reference; a missing tag becomes `latest`. A first
/// component with `.` or `:`, or `localhost`, is a host. Throws UsageError
/// saying what is wrong.
Reference parse_reference(const std::string& text, const std::string& default_host);

/// Parses a repository (`[HOST/]NAME`, no tag or digest). Throws UsageError.
Reference parse_repository(const std::string& text, const std::string& default_host);

/// Why `name` is not a repository name (kiln::is_image_name), or nothing when
/// it is one.
std::optional<std::string> repository_name_problem(const std::string& name);

/// Why `tag` is not a tag (kiln::is_image_tag), or nothing when it is one.
std::optional<std::string> tag_problem(const std::string& tag);

/// `host:port` of a registry URL as written (`http://127.0.0.1:5000/v2/`
/// gives `127.0.0.1:5000`): the registry host of images, kiln's one rule for
/// it. It is the default host of references, `Client::host()` and a build's
/// `REGISTRY`.
std::string host_of_url(const std::string& url);

/// Options for talking to `ref.host`: `configured` itself when that is its
/// host, else the same scheme and settings for the other host, without the
/// credentials (they belong to the configured registry).
ClientOptions client_options_for(const Reference& ref, const ClientOptions& configured);


}  // namespace kiln::registry

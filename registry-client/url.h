#pragma once

// URLs as the registry hands them out in Location and Link headers. Private
// to registry-client/.

#include <string>

namespace kiln::registry::detail {

/// An absolute http(s) URL split into what httplib needs.
struct Url {
    std::string scheme;   ///< `http` or `https`
    std::string host;     ///< host name or address, without brackets
    int port = 0;         ///< explicit or the scheme's default
    std::string target;   ///< path plus `?query`, at least `/`

    /// `scheme://host:port`, the key of one connection.
    std::string origin() const;
    /// `host:port`, as image references name a registry.
    std::string authority() const;
    std::string str() const { return origin() + target; }
};

/// Parses an absolute URL. Throws UsageError naming `what` if it is not one.
Url parse_url(const std::string& text, const std::string& what);

/// Resolves `reference` (absolute, `//host/...`, `/path`, `path` or `?query`)
/// against `base` per RFC 3986 section 5.2.
Url resolve_url(const Url& base, const std::string& reference);

/// Percent-encodes a query parameter value (`/` and `:` included).
std::string encode_query_value(const std::string& value);

}  // namespace kiln::registry::detail

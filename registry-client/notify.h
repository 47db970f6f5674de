#pragma once

// Build notifications (`notify:` in .kiln.yml): a POST of the build's JSON to
// a URL, typically `kiln watch --listen` on a deploy host.

#include <chrono>
#include <optional>
#include <string>

namespace kiln::registry {

/// POSTs `json` to `url` (http or https) with Content-Type application/json.
/// Returns nothing on a 2xx reply, else why it failed (`connection refused`,
/// `HTTP 403`): a notification that fails must not fail the build.
std::optional<std::string> post_json(const std::string& url, const std::string& json,
                                     std::chrono::seconds timeout = std::chrono::seconds(10));

}  // namespace kiln::registry

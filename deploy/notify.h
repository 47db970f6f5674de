#pragma once

// Build notifications (`notify:` in .kiln.yml): a POST of the build's JSON to
// a URL, typically `kiln watch --listen` on a deploy host.

#include <chrono>
#include <optional>
#include <string>

namespace kiln::registry {

/// POSTs `json` to `url` (http or https) with Content-Type application/json.
/// `timeout` bounds the whole exchange, connect to status line, however slowly
/// the peer sends; the reply body is never read. Returns nothing on a 2xx
/// reply, else why it failed (`Connection`, `HTTP 403`,
/// `no answer within 10 s`): a notification that fails must not fail the build.
std::optional<std::string> post_json(const std::string& url, const std::string& json,
                                     std::chrono::seconds timeout = std::chrono::seconds(10));

}  // namespace kiln::registry

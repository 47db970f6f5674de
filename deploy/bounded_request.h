#pragma once

// One HTTP exchange with a peer kiln does not trust, bounded by a wall-clock
// deadline however slowly the peer sends, that reads the status and never the
// body. Shared by notify POSTs and health checks. Private to deploy/.

#include <chrono>
#include <functional>
#include <string>

namespace kiln::registry::detail {

/// The status a peer answered, or why there was none.
struct BoundedAnswer {
    int status = 0;        ///< the HTTP status; 0 when there was none
    std::string problem;   ///< with status 0: `no answer within 5 s`, `Connection` (httplib's words)...
};

/// Sends `method` to `url` (http or https; `what` names it in a bad-URL
/// problem) with `body` as `content_type` when the body is not empty, and
/// stops at the reply's headers. `timeout` bounds the whole exchange;
/// `cancelled` (may be empty; polled from another thread) ends it early.
BoundedAnswer bounded_request(const std::string& method, const std::string& url, const std::string& what,
                              const std::string& body, const std::string& content_type,
                              std::chrono::milliseconds timeout, std::function<bool()> cancelled = {});

/// `10 s` for whole seconds, else `1500 ms`: how a problem names a timeout.
std::string timeout_text(std::chrono::milliseconds timeout);

}  // namespace kiln::registry::detail

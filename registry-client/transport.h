#pragma once

// HTTP for the registry client: one httplib connection per origin, the 401
// challenge flow (Basic and Bearer), retries with backoff, and turning
// transport failures into readable reasons. Private to registry-client/; it
// keeps httplib.h out of every header.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "registry-client/client.h"
#include "registry-client/url.h"

namespace kiln::registry::detail {

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    /// The first header named `name` (case-insensitive), or "".
    std::string header(const std::string& name) const;
    bool has_header(const std::string& name) const;
};

struct HttpRequest {
    std::string method;                                        ///< GET HEAD POST PUT PATCH DELETE
    Url url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                                          ///< used when `stream` is empty
    std::string content_type;
    /// Streams the body instead: fills the buffer, returns 0 at the end.
    std::function<std::size_t(char*, std::size_t)> stream;
    std::optional<std::uint64_t> stream_length;                ///< unset: chunked encoding
    /// The most a 2xx body may hold (other statuses get kMaxErrorBytes), and
    /// what it is, for the error that names an overrun.
    std::size_t body_limit = kMaxErrorBytes;
    std::string body_kind = "a reply";
};

/// A request that did not get an HTTP answer: connection refused, dropped,
/// timed out. `reason` is ready to follow `doing: `.
struct TransportFailure {
    std::string reason;
    /// False when asking again cannot help or is not wanted: cancelled, the
    /// deadline passed, the peer hung or sent too much.
    bool retryable = true;
};

class Transport {
public:
    explicit Transport(ClientOptions options);
    ~Transport();

    const Url& base() const { return base_; }
    const ClientOptions& options() const { return options_; }

    /// Sends once (plus one resend after an auth challenge when the body can
    /// be replayed), within options().request_timeout and options().deadline.
    /// Returns the response, or the failure. Exceptions thrown by
    /// `request.stream` propagate unchanged.
    bool exchange(const HttpRequest& request, HttpResponse& response, TransportFailure& failure);

    /// Sends a request without a streamed body, retrying connection failures,
    /// 429 and 5xx with backoff. Throws RegistryError `doing: why` when no
    /// answer came; HTTP errors are returned for the caller to judge.
    HttpResponse send(const HttpRequest& request, const std::string& doing);

    /// Waits before retry number `attempt` (1-based): 0.5 s, 1 s, 2 s, ... capped at 8 s.
    /// Throws RegistryError `doing: cancelled` or `doing: deadline reached` when
    /// options() says to stop, before or while waiting.
    void backoff(int attempt, const std::string& doing) const;

    /// Throws RegistryError `doing: cancelled` or `doing: deadline reached`
    /// when options() says to stop.
    void check_stop(const std::string& doing) const;

    /// True for statuses worth retrying: 429 and 5xx.
    static bool retryable(int status) { return status == 429 || status >= 500; }

private:
    struct Impl;
    ClientOptions options_;
    Url base_;
    std::unique_ptr<Impl> impl_;
};

/// `registry said CODE: message (detail); ...` from a registry JSON error body,
/// else `registry answered HTTP <status>: <text>`. Adds what to do for 401
/// and 405.
std::string explain_response(const HttpResponse& response, const ClientOptions& options);

/// Throws RegistryError `doing: <explanation>` unless `response.status` is one of `expected`.
void expect_status(const HttpResponse& response, std::initializer_list<int> expected, const std::string& doing,
                   const ClientOptions& options);

/// A limit as `4 MiB` or `64 KiB` (the caps are whole KiB).
std::string limit_text(std::uint64_t bytes);

/// `sha256:0123456789ab…`, short enough for a message.
std::string short_digest(const std::string& digest);

}  // namespace kiln::registry::detail

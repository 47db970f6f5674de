#pragma once

// `kiln watch --health URL`: after a deploy, whether the service answers.

#include <chrono>
#include <functional>
#include <string>

namespace kiln::registry {

struct HealthOptions {
    std::chrono::milliseconds window{std::chrono::seconds(30)};        ///< how long the URL has to answer 2xx
    std::chrono::milliseconds poll_every{std::chrono::milliseconds(500)};  ///< from one GET's start to the next
    std::chrono::milliseconds request_cap{std::chrono::seconds(5)};    ///< one GET's longest wait
};

/// What the health check found.
struct HealthResult {
    bool healthy = false;
    int attempts = 0;              ///< GETs sent
    std::string last_problem;      ///< unhealthy: the last GET's `HTTP 500`, `no answer within 5 s`...
};

/// GETs `url` until it answers 2xx or `options.window` has passed, starting a
/// GET about every `poll_every`. Each GET waits at most the time left of the
/// window (and at most `request_cap`), whatever the peer does (hangs, trickles
/// a byte a second, sends an endless body: it is never read), so the check
/// ends close to the window's end. `cancelled` (may be empty; polled from
/// another thread, so thread-safe) ends it early as unhealthy.
HealthResult check_health(const std::string& url, const HealthOptions& options,
                          const std::function<bool()>& cancelled = {});

}  // namespace kiln::registry

namespace kiln::registry {

/// Throws UsageError(`reading --health url '<url>': <why>`) unless `url` is an
/// absolute http(s) URL.
void validate_health_url(const std::string& url);

}  // namespace kiln::registry

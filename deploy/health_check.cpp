#include "deploy/health_check.h"

#include <algorithm>
#include <thread>

#include "deploy/bounded_request.h"
#include "registry-client/url.h"

namespace kiln::registry {

HealthResult check_health(const std::string& url, const HealthOptions& options,
                          const std::function<bool()>& cancelled) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point end = Clock::now() + options.window;
    HealthResult result;
    while (true) {
        const Clock::time_point started = Clock::now();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - started);
        if (left.count() <= 0) {
            return result;
        }
        ++result.attempts;
        const detail::BoundedAnswer answer =
            detail::bounded_request("GET", url, "--health url", "", "", std::min(left, options.request_cap), cancelled);
        if (answer.status >= 200 && answer.status < 300) {
            result.healthy = true;
            return result;
        }
        result.last_problem = answer.status == 0 ? answer.problem : "HTTP " + std::to_string(answer.status);
        if (cancelled && cancelled()) {
            return result;
        }
        // A peer that refuses at once is asked again at the poll's pace, not in a busy loop.
        std::this_thread::sleep_until(std::min(started + options.poll_every, end));
    }
}

}  // namespace kiln::registry

namespace kiln::registry {

void validate_health_url(const std::string& url) {
    detail::parse_url(url, "--health url");
}

}  // namespace kiln::registry

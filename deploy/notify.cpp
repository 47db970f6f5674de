#include "deploy/notify.h"

#include "deploy/bounded_request.h"

namespace kiln::registry {

std::optional<std::string> post_json(const std::string& url, const std::string& json, std::chrono::seconds timeout) {
    const detail::BoundedAnswer answer =
        detail::bounded_request("POST", url, "notify url", json, "application/json", timeout);
    if (answer.status == 0) {
        return answer.problem;
    }
    if (answer.status < 200 || answer.status >= 300) {
        return "HTTP " + std::to_string(answer.status);
    }
    return std::nullopt;
}

}  // namespace kiln::registry

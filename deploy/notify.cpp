#include "deploy/notify.h"

#include <algorithm>

#include <httplib.h>

#include "common/error.h"
#include "registry-client/request_guard.h"
#include "registry-client/url.h"

namespace kiln::registry {

std::optional<std::string> post_json(const std::string& url, const std::string& json, std::chrono::seconds timeout) {
    detail::Url target;
    try {
        target = detail::parse_url(url, "notify url");
    } catch (const Error& error) {
        return error.what();
    }
    httplib::Client client(target.origin());
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_keep_alive(false);

    httplib::Request request;
    request.method = "POST";
    request.path = target.target;
    request.body = json;
    request.headers.emplace("Content-Type", "application/json");
    // The status is all kiln wants: stopping at the headers means a reply body,
    // endless or huge, is never read, let alone buffered.
    int status = 0;
    request.response_handler = [&status](const httplib::Response& response) {
        status = response.status;
        return false;
    };
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    {
        detail::RequestGuard guard(deadline, {}, [&client] { client.stop(); });
        // httplib skips the handler for a 204: that reply ends at its headers anyway.
        if (client.send(request, response, error)) {
            status = response.status;
        }
    }
    // Whichever ended it, the socket timeout or the guard, the peer ran out of time.
    if (status == 0 && std::chrono::steady_clock::now() >= deadline) {
        return "no answer within " + std::to_string(timeout.count()) + " s";
    }
    if (status == 0) {
        return httplib::to_string(error);
    }
    if (status < 200 || status >= 300) {
        return "HTTP " + std::to_string(status);
    }
    return std::nullopt;
}

}  // namespace kiln::registry

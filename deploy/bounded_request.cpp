#include "deploy/bounded_request.h"

#include <httplib.h>

#include "common/error.h"
#include "registry-client/request_guard.h"
#include "registry-client/url.h"

namespace kiln::registry::detail {

std::string timeout_text(std::chrono::milliseconds timeout) {
    if (timeout.count() % 1000 == 0) {
        return std::to_string(timeout.count() / 1000) + " s";
    }
    return std::to_string(timeout.count()) + " ms";
}

BoundedAnswer bounded_request(const std::string& method, const std::string& url, const std::string& what,
                              const std::string& body, const std::string& content_type,
                              std::chrono::milliseconds timeout, std::function<bool()> cancelled) {
    Url target;
    try {
        target = parse_url(url, what);
    } catch (const Error& error) {
        return {0, error.what()};
    }
    httplib::Client client(target.origin());
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_keep_alive(false);

    httplib::Request request;
    request.method = method;
    request.path = target.target;
    if (!body.empty()) {
        request.body = body;
        request.headers.emplace("Content-Type", content_type);
    }
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
    RequestGuard::Fired fired = RequestGuard::Fired::no;
    {
        RequestGuard guard(deadline, std::move(cancelled), [&client] { client.stop(); });
        // httplib skips the handler for a 204: that reply ends at its headers anyway.
        if (client.send(request, response, error)) {
            status = response.status;
        }
        fired = guard.fired();
    }
    if (status != 0) {
        return {status, ""};
    }
    if (fired == RequestGuard::Fired::cancelled) {
        return {0, "cancelled"};
    }
    // Whichever ended it, the socket timeout or the guard, the peer ran out of time.
    if (std::chrono::steady_clock::now() >= deadline) {
        return {0, "no answer within " + timeout_text(timeout)};
    }
    return {0, httplib::to_string(error)};
}

}  // namespace kiln::registry::detail

#include "registry-client/notify.h"

#include <httplib.h>

#include "common/error.h"
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
    const httplib::Result result = client.Post(target.target, json, "application/json");
    if (!result) {
        return httplib::to_string(result.error());
    }
    if (result->status < 200 || result->status >= 300) {
        return "HTTP " + std::to_string(result->status);
    }
    return std::nullopt;
}

}  // namespace kiln::registry

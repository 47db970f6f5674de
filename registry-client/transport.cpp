#include "registry-client/transport.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/posix.h"

namespace kiln::registry::detail {
namespace {

std::string lowercase(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

bool iequals(const std::string& a, const std::string& b) { return lowercase(a) == lowercase(b); }

// httplib only says "Connection"; a plain connect() tells refused from
// unresolvable from unroutable, which is what the user needs to fix it.
std::string diagnose_connect(const Url& url) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    std::string port = std::to_string(url.port);
    if (int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return "cannot resolve host '" + url.host + "': " + gai_strerror(rc);
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    int error = 0;
    for (addrinfo* address = addresses.get(); address; address = address->ai_next) {
        UniqueFd fd(socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK, address->ai_protocol));
        if (!fd) {
            error = errno;
            continue;
        }
        if (connect(fd.get(), address->ai_addr, address->ai_addrlen) == 0) {
            return "connection failed";
        }
        if (errno != EINPROGRESS) {
            error = errno;
            continue;
        }
        pollfd waiting{fd.get(), POLLOUT, 0};
        if (poll(&waiting, 1, 5000) <= 0) {
            error = ETIMEDOUT;
            continue;
        }
        socklen_t length = sizeof error;
        getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error == 0) {
            return "connection failed";
        }
    }
    return lowercase(std::strerror(error == 0 ? ECONNREFUSED : error));
}

std::string failure_reason(httplib::Error error, const Url& url, const ClientOptions& options) {
    std::string registry = "registry " + url.scheme + "://" + url.authority();
    if (url.origin() == parse_url(options.url, "registry URL").origin()) {
        registry = "registry " + options.url;
    }
    const std::string check = " (check that the registry is running and that registry.url in the kiln config points at it)";
    switch (error) {
    case httplib::Error::Connection:
        return registry + " is not reachable: " + diagnose_connect(url) + check;
    case httplib::Error::ConnectionTimeout:
        return registry + " is not reachable: connection timed out" + check;
    case httplib::Error::Read:
        return registry + " closed the connection or sent no answer within " +
               std::to_string(options.timeout.count()) + " s";
    case httplib::Error::Write:
        return registry + " closed the connection while kiln was sending";
    default:
        return "talking to " + registry + " failed: " + httplib::to_string(error);
    }
}

std::map<std::string, std::string> parse_challenge(const std::string& header) {
    std::map<std::string, std::string> fields;
    std::size_t position = header.find(' ');
    while (position != std::string::npos && position < header.size()) {
        while (position < header.size() && (header[position] == ' ' || header[position] == ',')) {
            ++position;
        }
        std::size_t equals = header.find('=', position);
        if (equals == std::string::npos) {
            break;
        }
        std::string key = lowercase(header.substr(position, equals - position));
        std::string value;
        position = equals + 1;
        if (position < header.size() && header[position] == '"') {
            std::size_t close = header.find('"', position + 1);
            value = header.substr(position + 1, close == std::string::npos ? std::string::npos : close - position - 1);
            position = close == std::string::npos ? header.size() : close + 1;
        } else {
            std::size_t comma = header.find(',', position);
            value = header.substr(position, comma == std::string::npos ? std::string::npos : comma - position);
            position = comma;
        }
        fields[key] = value;
    }
    return fields;
}

std::string base64(const std::string& text) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < text.size(); i += 3) {
        unsigned value = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8) |
                         static_cast<unsigned char>(text[i + 2]);
        out += kAlphabet[(value >> 18) & 63];
        out += kAlphabet[(value >> 12) & 63];
        out += kAlphabet[(value >> 6) & 63];
        out += kAlphabet[value & 63];
    }
    if (i < text.size()) {
        unsigned value = static_cast<unsigned char>(text[i]) << 16;
        if (i + 1 < text.size()) {
            value |= static_cast<unsigned char>(text[i + 1]) << 8;
        }
        out += kAlphabet[(value >> 18) & 63];
        out += kAlphabet[(value >> 12) & 63];
        out += i + 1 < text.size() ? kAlphabet[(value >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return "";
}

bool HttpResponse::has_header(const std::string& name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& entry) { return iequals(entry.first, name); });
}

struct Transport::Impl {
    std::map<std::string, std::unique_ptr<httplib::Client>> connections;
    std::string bearer_token;   ///< from the last Bearer challenge; replaces basic auth once set

    httplib::Client& connection(const Url& url, const ClientOptions& options) {
        auto& slot = connections[url.origin()];
        if (!slot) {
            slot = std::make_unique<httplib::Client>(url.origin());
            slot->set_connection_timeout(std::chrono::seconds(10));
            slot->set_read_timeout(options.timeout);
            slot->set_write_timeout(options.timeout);
            slot->set_keep_alive(true);
            slot->set_follow_location(false);
        }
        return *slot;
    }
};

Transport::Transport(ClientOptions options)
    : options_(std::move(options)), base_(parse_url(options_.url, "registry URL")), impl_(std::make_unique<Impl>()) {
    base_.target = "/";
}

Transport::~Transport() = default;

bool Transport::exchange(const HttpRequest& request, HttpResponse& response, TransportFailure& failure) {
    for (int round = 0;; ++round) {
        httplib::Headers headers;
        for (const auto& [key, value] : request.headers) {
            headers.emplace(key, value);
        }
        if (!impl_->bearer_token.empty()) {
            headers.emplace("Authorization", "Bearer " + impl_->bearer_token);
        } else if (!options_.username.empty()) {
            headers.emplace("Authorization", "Basic " + base64(options_.username + ":" + options_.password));
        }
        httplib::Client& client = impl_->connection(request.url, options_);
        const std::string& target = request.url.target;

        std::exception_ptr stream_error;
        bool write_failed = false;
        std::vector<char> buffer;
        // Returns 1 after writing a piece, 0 at the end of the stream, -1 on failure.
        auto fill = [&](httplib::DataSink& sink) {
            buffer.resize(256 * 1024);
            std::size_t got = 0;
            try {
                got = request.stream(buffer.data(), buffer.size());
            } catch (...) {
                stream_error = std::current_exception();
                return -1;
            }
            if (got == 0) {
                return 0;
            }
            if (!sink.write(buffer.data(), got)) {
                write_failed = true;
                return -1;
            }
            return 1;
        };
        httplib::Result result{nullptr, httplib::Error::Unknown};
        if (request.method == "GET") {
            result = client.Get(target, headers);
        } else if (request.method == "HEAD") {
            result = client.Head(target, headers);
        } else if (request.method == "DELETE") {
            result = client.Delete(target, headers);
        } else if (!request.stream) {
            if (request.method == "POST") {
                result = client.Post(target, headers, request.body, request.content_type);
            } else if (request.method == "PUT") {
                result = client.Put(target, headers, request.body, request.content_type);
            } else {
                result = client.Patch(target, headers, request.body, request.content_type);
            }
        } else if (request.stream_length) {
            auto provider = [&](std::size_t, std::size_t, httplib::DataSink& sink) { return fill(sink) > 0; };
            result = request.method == "PUT"
                         ? client.Put(target, headers, *request.stream_length, provider, request.content_type)
                         : client.Patch(target, headers, *request.stream_length, provider, request.content_type);
        } else {
            auto provider = [&](std::size_t, httplib::DataSink& sink) {
                int state = fill(sink);
                if (state == 0) {
                    sink.done();
                }
                return state >= 0;
            };
            result = request.method == "PUT" ? client.Put(target, headers, provider, request.content_type)
                                             : client.Patch(target, headers, provider, request.content_type);
        }
        if (stream_error) {
            std::rethrow_exception(stream_error);
        }
        if (!result) {
            // A body write that fails cancels the request; the cause is the connection.
            httplib::Error error = write_failed ? httplib::Error::Write : result.error();
            failure.reason = failure_reason(error, request.url, options_);
            return false;
        }
        response.status = result->status;
        response.headers.assign(result->headers.begin(), result->headers.end());
        response.body = request.method == "HEAD" ? std::string() : result->body;

        std::string challenge = response.header("WWW-Authenticate");
        if (response.status != 401 || round > 0 || lowercase(challenge).rfind("bearer", 0) != 0) {
            return true;
        }
        auto fields = parse_challenge(challenge);
        if (fields["realm"].empty()) {
            return true;
        }
        Url realm = parse_url(fields["realm"], "token realm");
        std::string query;
        for (const char* key : {"service", "scope"}) {
            if (!fields[key].empty()) {
                query += (query.empty() ? "?" : "&") + std::string(key) + "=" + encode_query_value(fields[key]);
            }
        }
        realm.target += (realm.target.find('?') == std::string::npos ? query : (query.empty() ? "" : "&" + query.substr(1)));
        httplib::Headers token_headers;
        if (!options_.username.empty()) {
            token_headers.emplace("Authorization", "Basic " + base64(options_.username + ":" + options_.password));
        }
        auto token_result = impl_->connection(realm, options_).Get(realm.target, token_headers);
        if (!token_result) {
            failure.reason = "getting a token from " + realm.origin() + ": " +
                             failure_reason(token_result.error(), realm, options_);
            return false;
        }
        if (token_result->status != 200) {
            spdlog::debug("token server {} answered {}", realm.str(), token_result->status);
            return true;
        }
        auto json = nlohmann::json::parse(token_result->body, nullptr, false);
        std::string token = json.is_object() ? json.value("token", json.value("access_token", "")) : "";
        if (token.empty()) {
            return true;
        }
        impl_->bearer_token = token;
        if (request.stream) {
            return true;   // the body cannot be replayed; the caller's retry will carry the token
        }
    }
}

HttpResponse Transport::send(const HttpRequest& request, const std::string& doing) {
    HttpResponse response;
    TransportFailure failure;
    for (int attempt = 0;; ++attempt) {
        bool answered = exchange(request, response, failure);
        if (answered && !retryable(response.status)) {
            return response;
        }
        if (attempt >= options_.retries) {
            if (!answered) {
                throw RegistryError(describe(doing, failure.reason));
            }
            return response;
        }
        spdlog::debug("{}: attempt {} failed ({}), retrying", doing, attempt + 1,
                      answered ? "HTTP " + std::to_string(response.status) : failure.reason);
        backoff(attempt + 1);
    }
}

void Transport::backoff(int attempt) const {
    auto delay = std::chrono::milliseconds(500) * (1 << std::min(attempt - 1, 4));
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(delay, std::chrono::seconds(8)));
}

std::string explain_response(const HttpResponse& response, const ClientOptions& options) {
    std::string why;
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (json.is_object() && json.contains("errors") && json["errors"].is_array() && !json["errors"].empty()) {
        for (const auto& error : json["errors"]) {
            if (!why.empty()) {
                why += "; ";
            }
            why += error.value("code", "UNKNOWN") + ": " + error.value("message", "");
            // String details name the culprit (a missing blob's digest); object
            // details repeat the request (access lists, the repository name).
            if (error.contains("detail") && error["detail"].is_string() && !error["detail"].get<std::string>().empty()) {
                why += " (" + error["detail"].get<std::string>() + ")";
            }
        }
        why = "registry said " + why;
    } else {
        std::string text = response.body.substr(0, 200);
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
            text.pop_back();
        }
        why = "registry answered HTTP " + std::to_string(response.status) + (text.empty() ? "" : ": " + text);
    }
    if (response.status == 401) {
        why += options.username.empty()
                   ? "; the registry requires credentials: set registry.username and registry.password in the kiln config"
                   : "; the registry rejected the credentials of user '" + options.username +
                         "' (check registry.username and registry.password in the kiln config)";
    } else if (response.status == 405) {
        why += "; enable deletion on the registry (storage.delete.enabled: true in its config)";
    }
    return why;
}

void expect_status(const HttpResponse& response, std::initializer_list<int> expected, const std::string& doing,
                   const ClientOptions& options) {
    if (std::find(expected.begin(), expected.end(), response.status) == expected.end()) {
        throw RegistryError(describe(doing, explain_response(response, options)));
    }
}

std::string short_digest(const std::string& digest) {
    std::size_t colon = digest.find(':');
    if (colon == std::string::npos || digest.size() <= colon + 13) {
        return digest;
    }
    return digest.substr(0, colon + 13) + "\u2026";
}

}  // namespace kiln::registry::detail

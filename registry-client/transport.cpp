#include "registry-client/transport.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
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
#include "common/text.h"
#include "registry-client/request_guard.h"

namespace kiln::registry::detail {
namespace {

using Clock = std::chrono::steady_clock;

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

std::string registry_label(const Url& url, const ClientOptions& options) {
    if (url.origin() == parse_url(options.url, "registry URL").origin()) {
        return "registry " + options.url;
    }
    return "registry " + url.scheme + "://" + url.authority();
}

std::string failure_reason(httplib::Error error, const Url& url, const ClientOptions& options) {
    const std::string registry = registry_label(url, options);
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

std::optional<std::string> stop_reason(const ClientOptions& options) {
    if (options.cancelled && options.cancelled()) {
        return "cancelled";
    }
    if (Clock::now() >= options.deadline) {
        return "deadline reached";
    }
    return std::nullopt;
}

// Sends `outgoing` on `client`, reading at most `limit` bytes of a 2xx body
// (kMaxErrorBytes of any other) and never trusting an advertised
// Content-Length for an allocation. `guard` is already watching the exchange.
bool perform(httplib::Client& client, httplib::Request& outgoing, const Url& url, const ClientOptions& options,
             std::size_t limit, const std::string& kind, const RequestGuard& guard, HttpResponse& response,
             TransportFailure& failure, bool upload = false) {
    std::size_t cap = kMaxErrorBytes;
    std::string capped_kind = "an error reply";
    bool over = false;
    std::string body;
    const bool head = outgoing.method == "HEAD";
    outgoing.response_handler = [&](const httplib::Response& answer) {
        if (answer.status >= 200 && answer.status < 300) {
            cap = limit;
            capped_kind = kind;
        }
        // A HEAD's Content-Length describes what a GET would send (a blob's size).
        const std::string length = answer.get_header_value("Content-Length");
        if (!head && !length.empty() && length.find_first_not_of("0123456789") == std::string::npos &&
            (length.size() > 18 || std::stoull(length) > cap)) {
            over = true;
            return false;
        }
        return true;
    };
    outgoing.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
        if (body.size() + size > cap) {
            over = true;
            return false;
        }
        body.append(data, size);
        return true;
    };
    httplib::Response answer;
    httplib::Error error = httplib::Error::Success;
    if (client.send(outgoing, answer, error)) {
        response.status = answer.status;
        response.headers.assign(answer.headers.begin(), answer.headers.end());
        response.body = std::move(body);
        return true;
    }
    failure.retryable = false;
    switch (guard.fired()) {
    case RequestGuard::Fired::cancelled:
        failure.reason = "cancelled";
        return false;
    case RequestGuard::Fired::deadline:
        if (Clock::now() >= options.deadline) {
            failure.reason = "deadline reached";
        } else if (upload) {
            failure.reason = registry_label(url, options) + " took the blob slower than " +
                             limit_text(kUploadFloorBytesPerSecond) + "/s or sent no answer within " +
                             std::to_string(options.request_timeout.count()) + " s of its end";
        } else {
            failure.reason = registry_label(url, options) + " sent no complete answer within " +
                             std::to_string(options.request_timeout.count()) + " s";
        }
        return false;
    case RequestGuard::Fired::no:
        break;
    }
    if (over) {
        failure.reason = registry_label(url, options) + " sent " + capped_kind + " over kiln's limit of " +
                         limit_text(cap);
        return false;
    }
    failure.retryable = true;
    failure.reason = failure_reason(error, url, options);
    return false;
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
            slot->set_connection_timeout(std::min<std::chrono::seconds>(std::chrono::seconds(10), options.request_timeout));
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
        if (std::optional<std::string> stop = stop_reason(options_)) {
            failure.reason = *stop;
            failure.retryable = false;
            return false;
        }
        httplib::Request outgoing;
        outgoing.method = request.method;
        outgoing.path = request.url.target;
        for (const auto& [key, value] : request.headers) {
            outgoing.headers.emplace(key, value);
        }
        // Credentials belong to the configured registry: an upload Location or
        // a redirect elsewhere (a storage backend, a hostile registry) gets none.
        if (request.url.origin() == base_.origin()) {
            if (!impl_->bearer_token.empty()) {
                outgoing.headers.emplace("Authorization", "Bearer " + impl_->bearer_token);
            } else if (!options_.username.empty()) {
                outgoing.headers.emplace("Authorization", "Basic " + base64(options_.username + ":" + options_.password));
            }
        }
        if (!request.content_type.empty()) {
            outgoing.headers.emplace("Content-Type", request.content_type);
        }

        const Clock::time_point start = Clock::now();
        httplib::Client& client = impl_->connection(request.url, options_);
        RequestGuard guard(std::min(options_.deadline, start + options_.request_timeout), options_.cancelled,
                           [&client] { client.stop(); });
        std::exception_ptr stream_error;
        bool write_failed = false;
        std::uint64_t sent = 0;
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
                guard.set_deadline(std::min(options_.deadline, Clock::now() + options_.request_timeout));
                return 0;
            }
            if (!sink.write(buffer.data(), got)) {
                write_failed = true;
                return -1;
            }
            sent += got;
            guard.set_deadline(std::min(options_.deadline, start + options_.request_timeout +
                                                               std::chrono::seconds(sent / kUploadFloorBytesPerSecond)));
            return 1;
        };
        if (!request.stream) {
            outgoing.body = request.body;
        } else if (request.stream_length) {
            outgoing.content_length_ = *request.stream_length;
            outgoing.content_provider_ = [&](std::size_t, std::size_t, httplib::DataSink& sink) {
                return fill(sink) > 0;
            };
        } else {
            outgoing.is_chunked_content_provider_ = true;
            outgoing.headers.emplace("Transfer-Encoding", "chunked");
            outgoing.content_provider_ = [&](std::size_t, std::size_t, httplib::DataSink& sink) {
                int state = fill(sink);
                if (state == 0) {
                    sink.done();
                }
                return state >= 0;
            };
        }
        if (!perform(client, outgoing, request.url, options_, request.body_limit, request.body_kind, guard, response, failure,
                     static_cast<bool>(request.stream))) {
            if (stream_error) {
                std::rethrow_exception(stream_error);
            }
            if (write_failed && failure.retryable) {
                // A body write that fails cancels the request; the cause is the connection.
                failure.reason = failure_reason(httplib::Error::Write, request.url, options_);
            }
            return false;
        }
        if (stream_error) {
            std::rethrow_exception(stream_error);
        }
        if (request.method == "HEAD") {
            response.body.clear();
        }

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
        httplib::Request token_request;
        token_request.method = "GET";
        token_request.path = realm.target;
        // The registry's own challenge names the realm, so the basic
        // credentials go there, as docker and distribution's client do.
        if (!options_.username.empty()) {
            token_request.headers.emplace("Authorization", "Basic " + base64(options_.username + ":" + options_.password));
        }
        httplib::Client& token_client = impl_->connection(realm, options_);
        RequestGuard token_guard(std::min(options_.deadline, Clock::now() + options_.request_timeout),
                                 options_.cancelled, [&token_client] { token_client.stop(); });
        HttpResponse token_response;
        if (!perform(token_client, token_request, realm, options_, kMaxTokenBytes, "a token", token_guard, token_response,
                     failure)) {
            failure.reason = "getting a token from " + realm.origin() + ": " + failure.reason;
            return false;
        }
        if (token_response.status != 200) {
            spdlog::debug("token server {} answered {}", realm.str(), token_response.status);
            return true;
        }
        auto json = nlohmann::json::parse(token_response.body, nullptr, false);
        std::string token;
        if (json.is_object()) {
            for (const char* key : {"token", "access_token"}) {
                if (json.contains(key) && json[key].is_string() && token.empty()) {
                    token = json[key].get<std::string>();
                }
            }
        }
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
        if (attempt >= options_.retries || (!answered && !failure.retryable)) {
            if (!answered) {
                throw RegistryError(describe(doing, failure.reason));
            }
            return response;
        }
        spdlog::debug("{}: attempt {} failed ({}), retrying", doing, attempt + 1,
                      answered ? "HTTP " + std::to_string(response.status) : failure.reason);
        backoff(attempt + 1, doing);
    }
}

void Transport::backoff(int attempt, const std::string& doing) const {
    auto delay = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(500) * (1 << std::min(attempt - 1, 4)),
                                                     std::chrono::seconds(8));
    const Clock::time_point until = Clock::now() + delay;
    // In slices, so that a cancel or the deadline ends the wait, not just the next request.
    for (check_stop(doing); Clock::now() < until; check_stop(doing)) {
        std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(100)));
    }
}

void Transport::check_stop(const std::string& doing) const {
    if (std::optional<std::string> stop = stop_reason(options_)) {
        throw RegistryError(describe(doing, *stop));
    }
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

std::string limit_text(std::uint64_t bytes) {
    constexpr std::uint64_t kMiB = 1024 * 1024;
    if (bytes >= kMiB && bytes % kMiB == 0) {
        return std::to_string(bytes / kMiB) + " MiB";
    }
    return std::to_string(bytes / 1024) + " KiB";
}

std::string short_digest(const std::string& digest) {
    std::size_t colon = digest.find(':');
    if (colon == std::string::npos || digest.size() <= colon + 13) {
        return digest;
    }
    return digest.substr(0, colon + 13) + "\u2026";
}

}  // namespace kiln::registry::detail

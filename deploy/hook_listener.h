#pragma once

// The `kiln watch --listen` endpoint: a small HTTP/1.1 server of its own,
// because httplib's server has only per-read timeouts, so a client sending a
// byte every few seconds holds one of its threads for ever. One thread polls
// every connection; each has a total deadline, its headers are capped and
// judged (path, method, token) before any of the body is read, and the body
// is capped and discarded. Private to registry-client/.

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "common/posix.h"

namespace kiln::registry::detail {

struct HookLimits {
    std::chrono::milliseconds deadline{std::chrono::seconds(10)};  ///< per connection, accept to close
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_connections = 64;  ///< more are closed at once
};

class HookListener {
public:
    /// Decides on a request from its headers alone: true to accept it.
    /// `token` is `?token=` or `Authorization: Bearer`'s value.
    using Judge = std::function<bool(const std::string& token, const std::string& remote)>;
    /// Told about each accepted request (and who sent it) once its body is in.
    using Accepted = std::function<void(const std::string& remote)>;

    /// Binds `host:port` (0: any free port). Throws Error when it cannot.
    HookListener(const std::string& host, int port, Judge judge, Accepted accepted, HookLimits limits = {});
    /// Stops the thread; open connections are closed.
    ~HookListener();
    HookListener(const HookListener&) = delete;
    HookListener& operator=(const HookListener&) = delete;

    int port() const { return port_; }

private:
    void serve();

    Judge judge_;
    Accepted accepted_;
    HookLimits limits_;
    UniqueFd listen_fd_;
    UniqueFd wake_read_;
    UniqueFd wake_write_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace kiln::registry::detail

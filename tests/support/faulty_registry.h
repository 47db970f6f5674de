#pragma once

// A loopback httplib::Server for the faults a real registry will not produce
// on demand: a 503 before an answer, a relative Location, a transfer that
// breaks half way, a Bearer token challenge. Tests add the routes they need.

#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

namespace kiln::test {

class FaultyRegistry {
public:
    FaultyRegistry();
    ~FaultyRegistry();
    FaultyRegistry(const FaultyRegistry&) = delete;
    FaultyRegistry& operator=(const FaultyRegistry&) = delete;

    /// Add routes before calling start().
    httplib::Server& server() { return server_; }
    /// Starts serving on 127.0.0.1 and a free port.
    void start();
    /// `http://127.0.0.1:<port>`.
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace kiln::test

#pragma once

// A loopback TCP peer below HTTP, for misbehaviour an httplib::Server cannot
// script: one that accepts and never answers, trickles its answer a byte at a
// time, sends an endless body, or advertises a 2 GB one. It reads each
// request's headers, then misbehaves until the client hangs up or the peer is
// destroyed.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiln::test {

class FaultyPeer {
public:
    enum class Mode {
        silent,        ///< accepts, reads the request, never answers
        trickle,       ///< a valid 200 answer, one byte every `trickle_every`
        endless_body,  ///< 200, chunked, chunks forever
        huge_length,   ///< 200, `Content-Length: 2147483648`, then bytes forever
    };

    explicit FaultyPeer(Mode mode, std::chrono::milliseconds trickle_every = std::chrono::milliseconds(200));
    ~FaultyPeer();
    FaultyPeer(const FaultyPeer&) = delete;
    FaultyPeer& operator=(const FaultyPeer&) = delete;

    /// `http://127.0.0.1:<port>`.
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// Connections accepted so far.
    int connections() const { return connections_.load(); }

private:
    void accept_loop();
    void serve(int fd);
    bool send_all(int fd, const std::string& bytes);

    Mode mode_;
    std::chrono::milliseconds trickle_every_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::mutex mutex_;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
};

}  // namespace kiln::test

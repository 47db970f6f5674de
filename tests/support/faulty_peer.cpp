#include "tests/support/faulty_peer.h"

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kiln::test {
namespace {

constexpr std::chrono::milliseconds kPoll{50};

// Waits up to kPoll for `events` on `fd`; true when it is ready.
bool ready(int fd, short events) {
    pollfd waiting{fd, events, 0};
    return poll(&waiting, 1, static_cast<int>(kPoll.count())) > 0;
}

}  // namespace

FaultyPeer::FaultyPeer(Mode mode, std::chrono::milliseconds trickle_every) : mode_(mode), trickle_every_(trickle_every) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listen_fd_, 16) != 0 || getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error("FaultyPeer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultyPeer::~FaultyPeer() {
    stopping_ = true;
    acceptor_.join();
    for (std::thread& worker : workers_) {
        worker.join();
    }
    close(listen_fd_);
}

void FaultyPeer::accept_loop() {
    while (!stopping_) {
        if (!ready(listen_fd_, POLLIN)) {
            continue;
        }
        int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        ++connections_;
        std::lock_guard lock(mutex_);
        workers_.emplace_back([this, fd] {
            serve(fd);
            close(fd);
        });
    }
}

bool FaultyPeer::send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        if (stopping_) {
            return false;
        }
        if (!ready(fd, POLLOUT)) {
            continue;
        }
        ssize_t written = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (written <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(written);
    }
    return true;
}

void FaultyPeer::serve(int fd) {
    std::string request;
    char buffer[4096];
    while (!stopping_ && request.find("\r\n\r\n") == std::string::npos) {
        if (!ready(fd, POLLIN)) {
            continue;
        }
        ssize_t got = recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            return;
        }
        request.append(buffer, static_cast<std::size_t>(got));
    }
    const std::string filler(64 * 1024, 'x');
    switch (mode_) {
    case Mode::silent:
        while (!stopping_) {
            // Reading shows when the client hangs up; nothing is ever sent.
            if (ready(fd, POLLIN) && recv(fd, buffer, sizeof buffer, 0) <= 0) {
                return;
            }
        }
        return;
    case Mode::trickle: {
        const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        for (char byte : answer) {
            const auto next = std::chrono::steady_clock::now() + trickle_every_;
            while (!stopping_ && std::chrono::steady_clock::now() < next) {
                std::this_thread::sleep_for(kPoll);
            }
            if (!send_all(fd, std::string(1, byte))) {
                return;
            }
        }
        return;
    }
    case Mode::endless_body: {
        if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")) {
            return;
        }
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", filler.size());
        while (send_all(fd, size + filler + "\r\n")) {
        }
        return;
    }
    case Mode::huge_length:
        if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n")) {
            return;
        }
        while (send_all(fd, filler)) {
        }
        return;
    }
}

}  // namespace kiln::test

// `kiln watch` against peers that misbehave: the poll loop rides them out,
// and the listener judges a hook by its headers before reading its body.

#include "deploy/watch.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "deploy/hook_listener.h"
#include "tests/support/faulty_peer.h"

using namespace kiln::registry;
using kiln::test::FaultyPeer;

namespace {

ClientOptions options_for(const std::string& url) {
    ClientOptions options;
    options.url = url;
    options.retries = 0;
    options.request_timeout = std::chrono::seconds(1);
    return options;
}

Reference app_latest(const std::string& url) { return parse_reference("app:latest", host_of_url(url)); }

// Sends `request` on a fresh connection and returns what comes back within 3 s.
std::string raw_exchange(int port, const std::string& request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval wait{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::string answer;
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
        char buffer[4096];
        for (ssize_t got; (got = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
            answer.append(buffer, static_cast<std::size_t>(got));
        }
    }
    close(fd);
    return answer;
}

bool eventually(const std::function<bool()>& condition) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

}  // namespace

TEST_CASE("a long-running watch keeps checking a registry that never answers", "[watch][slow]") {
    FaultyPeer peer(FaultyPeer::Mode::silent);
    Client client(options_for(peer.url()));
    WatchOptions options;
    options.interval = std::chrono::milliseconds(100);
    std::atomic<int> runs{0};
    Watcher watcher(client, app_latest(peer.url()), options, [&runs](const std::string&, const std::string&) {
        ++runs;
        return 0;
    });
    std::thread loop([&watcher] { watcher.run(); });
    CHECK(eventually([&peer] { return peer.connections() >= 3; }));
    watcher.stop();
    loop.join();
    CHECK(runs == 0);
}

TEST_CASE("watch --once against a registry that never answers fails at the request deadline", "[watch][slow]") {
    FaultyPeer peer(FaultyPeer::Mode::silent);
    Client client(options_for(peer.url()));
    WatchOptions options;
    options.once = true;
    Watcher watcher(client, app_latest(peer.url()), options, [](const std::string&, const std::string&) { return 0; });
    CHECK_THROWS_WITH(watcher.run(), "checking manifest app:latest: registry " + peer.url() +
                                         " sent no complete answer within 1 s");
}

TEST_CASE("the hook listener checks the token before the body and caps the body", "[watch]") {
    FaultyPeer peer(FaultyPeer::Mode::silent);
    Client client(options_for(peer.url()));
    WatchOptions options;
    options.interval = std::chrono::hours(1);
    options.listen = "127.0.0.1:0";
    options.token = "s3cret";
    Watcher watcher(client, app_latest(peer.url()), options, [](const std::string&, const std::string&) { return 0; });
    const int port = watcher.start_listener();
    httplib::Client hook("127.0.0.1", port);
    hook.set_read_timeout(std::chrono::seconds(10));

    SECTION("a wrong token is refused without waiting for a body that never comes") {
        // A listener that read the body first would wait for these 1 MiB until
        // its read timeout and never answer 403.
        const std::string answer = raw_exchange(port, "POST /hook HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                                                      "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{");
        CHECK(answer.rfind("HTTP/1.1 403", 0) == 0);
        auto plain = hook.Post("/hook?token=wrong", "{}", "application/json");
        REQUIRE(plain);
        CHECK(plain->status == 403);
    }
    SECTION("the right token with a body over 64 KiB gets 413") {
        auto result = hook.Post("/hook?token=s3cret", std::string(65 * 1024, 'x'), "application/json");
        REQUIRE(result);
        CHECK(result->status == 413);
    }
    SECTION("the right token and a small body queue a check") {
        auto result = hook.Post("/hook?token=s3cret", "{}", "application/json");
        REQUIRE(result);
        CHECK(result->status == 202);
    }
}

TEST_CASE("the hook listener drops a client that trickles its request, at the deadline", "[watch]") {
    std::atomic<int> accepted{0};
    kiln::registry::detail::HookLimits limits;
    limits.deadline = std::chrono::milliseconds(500);
    kiln::registry::detail::HookListener listener(
        "127.0.0.1", 0, [](const std::string&, const std::string&) { return true; },
        [&accepted](const std::string&) { ++accepted; }, limits);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(listener.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    // A byte every 100 ms: each read sees progress, only a total deadline ends it.
    const std::string request = "POST /hook?token=t HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    bool closed = false;
    for (std::size_t i = 0; i < 100 && !closed; ++i) {
        const char byte = i < request.size() ? request[i] : 'a';
        closed = send(fd, &byte, 1, MSG_NOSIGNAL) != 1;
        char answer[64];
        closed = closed || recv(fd, answer, sizeof answer, MSG_DONTWAIT) == 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    close(fd);
    CHECK(closed);
    CHECK(accepted == 0);
}

// `kiln watch --health` against real loopback peers: one that answers, one
// that fails, and ones below HTTP that hang or trickle.

#include "deploy/health_check.h"

#include <atomic>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "tests/support/faulty_peer.h"

using namespace kiln::registry;
using kiln::test::FaultyPeer;

namespace {

// An httplib::Server on 127.0.0.1 that answers GET /health with what `status` says.
class HealthServer {
public:
    explicit HealthServer(std::function<int()> status) : status_(std::move(status)) {
        server_.Get("/health", [this](const httplib::Request&, httplib::Response& response) {
            response.status = status_();
            response.set_content("state\n", "text/plain");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // stop() before the loop runs would be missed, and the join would hang.
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    ~HealthServer() {
        server_.stop();
        thread_.join();
    }
    HealthServer(const HealthServer&) = delete;
    HealthServer& operator=(const HealthServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/health"; }

private:
    std::function<int()> status_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

HealthOptions quick(std::chrono::milliseconds window) {
    HealthOptions options;
    options.window = window;
    options.poll_every = std::chrono::milliseconds(50);
    options.request_cap = std::chrono::milliseconds(300);
    return options;
}

}  // namespace

TEST_CASE("a URL that answers 2xx is healthy at the first GET", "[health]") {
    HealthServer server([] { return 204; });
    const HealthResult result = check_health(server.url(), quick(std::chrono::seconds(10)));
    CHECK(result.healthy);
    CHECK(result.attempts == 1);
}

TEST_CASE("a URL that starts answering 2xx within the window is healthy", "[health]") {
    std::atomic<int> asked{0};
    HealthServer server([&asked] { return ++asked < 4 ? 503 : 200; });
    const HealthResult result = check_health(server.url(), quick(std::chrono::seconds(10)));
    CHECK(result.healthy);
    CHECK(result.attempts == 4);
}

TEST_CASE("a URL that answers 500 until the window ends is unhealthy", "[health]") {
    HealthServer server([] { return 500; });
    const HealthResult result = check_health(server.url(), quick(std::chrono::milliseconds(600)));
    CHECK_FALSE(result.healthy);
    CHECK(result.attempts > 1);
    CHECK(result.last_problem == "HTTP 500");
}

TEST_CASE("nobody listening is unhealthy", "[health]") {
    std::string url;
    {
        HealthServer gone([] { return 200; });
        url = gone.url();
    }
    const HealthResult result = check_health(url, quick(std::chrono::milliseconds(300)));
    CHECK_FALSE(result.healthy);
    CHECK(result.last_problem == "Connection");   // httplib 0.11's word for a refused connect
}

TEST_CASE("a peer that hangs or trickles is unhealthy, each GET cut at its bound", "[health][slow]") {
    // A trickled 200 never counts: its status line would take longer than any
    // GET may wait. Each GET ends at the cap or at the window's end.
    const FaultyPeer::Mode mode = GENERATE(FaultyPeer::Mode::silent, FaultyPeer::Mode::trickle);
    FaultyPeer peer(mode, std::chrono::milliseconds(200));
    HealthOptions options = quick(std::chrono::milliseconds(1300));
    options.request_cap = std::chrono::milliseconds(500);
    const HealthResult result = check_health(peer.url() + "/health", options);
    CHECK_FALSE(result.healthy);
    CHECK(result.attempts >= 2);
    CHECK(result.last_problem.rfind("no answer within ", 0) == 0);
}

TEST_CASE("a cancelled health check ends unhealthy", "[health]") {
    FaultyPeer peer(FaultyPeer::Mode::silent);
    HealthOptions options = quick(std::chrono::minutes(10));
    options.request_cap = std::chrono::minutes(1);
    std::atomic<bool> cancel{false};
    std::thread stopper([&cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const HealthResult result = check_health(peer.url() + "/health", options, [&cancel] { return cancel.load(); });
    stopper.join();
    CHECK_FALSE(result.healthy);
    CHECK(result.last_problem == "cancelled");
}

TEST_CASE("a health URL must be an absolute http(s) URL", "[health]") {
    CHECK_NOTHROW(validate_health_url("http://127.0.0.1:8080/health"));
    CHECK_THROWS_WITH(validate_health_url("localhost:8080/health"),
                      "reading --health url 'localhost:8080/health': not an absolute URL (expected http://HOST[:PORT])");
}

// `kiln watch --health` end to end in one process: a real docker-registry, a
// loopback health URL that fails while a bad digest runs, and the watcher's
// deploys, reverts and reports as they happen.

#include "deploy/watch.h"

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "tests/support/registry_fixture.h"
#include "tests/unit/registry/test_images.h"

using namespace kiln::registry;
using kiln::releases::DeployStatus;
using kiln::test::RegistryFixture;

namespace {

Client client_for(const RegistryFixture& registry) {
    ClientOptions options;
    options.url = registry.url();
    options.retries = 0;
    return Client(options);
}

// What the deploy host looks like: the digest its command last ran, the
// digests that are healthy when they run, and a health URL that says so.
class Host {
public:
    Host() {
        server_.Get("/health", [this](const httplib::Request&, httplib::Response& response) {
            std::lock_guard lock(mutex_);
            response.status = good_.count(running_) != 0 ? 200 : 500;
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    ~Host() {
        server_.stop();
        thread_.join();
    }
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/health"; }
    void mark_good(const std::string& digest) {
        std::lock_guard lock(mutex_);
        good_.insert(digest);
    }
    int deploy(const std::string& digest) {
        std::lock_guard lock(mutex_);
        running_ = digest;
        runs_.push_back(digest);
        return 0;
    }
    void reported(const DeployEvent& event) {
        std::lock_guard lock(mutex_);
        reports_.push_back(kiln::releases::to_string(event.status) + " " + event.digest + " " +
                           std::to_string(event.exit));
    }
    std::vector<std::string> runs() {
        std::lock_guard lock(mutex_);
        return runs_;
    }
    std::vector<std::string> reports() {
        std::lock_guard lock(mutex_);
        return reports_;
    }

private:
    std::mutex mutex_;
    std::string running_;
    std::set<std::string> good_;
    std::vector<std::string> runs_;
    std::vector<std::string> reports_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

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

WatchOptions quick_health(const std::string& url) {
    WatchOptions options;
    options.interval = std::chrono::milliseconds(100);
    options.health_url = url;
    options.health.window = std::chrono::milliseconds(500);
    options.health.poll_every = std::chrono::milliseconds(50);
    options.health.request_cap = std::chrono::milliseconds(300);
    return options;
}

}  // namespace

TEST_CASE("an unhealthy deploy is reverted, reported, and not retried until the tag moves", "[watch][health][real]") {
    RegistryFixture registry;
    Client pusher = client_for(registry);
    Client watching = client_for(registry);
    Host host;
    const std::string d1 = kiln::test::push_test_image(pusher, "app", "latest", "2026-01-01T00:00:00Z", "one").digest;
    host.mark_good(d1);
    WatchOptions options = quick_health(host.url());
    options.now = true;   // d1's healthy deploy shows that the watcher is up (e2e watch_health_revert covers the baseline)
    Watcher watcher(watching, parse_reference("app:latest", registry.host()), options,
                    [&host](const std::string&, const std::string& digest) { return host.deploy(digest); },
                    [&host](const DeployEvent& event) { host.reported(event); });
    std::thread loop([&watcher] { watcher.run(); });

    REQUIRE(eventually([&host] { return host.reports().size() == 1; }));
    CHECK(host.reports() == std::vector<std::string>{"deployed " + d1 + " 0"});

    // d2 breaks the host.
    const std::string d2 = kiln::test::push_test_image(pusher, "app", "latest", "2026-01-02T00:00:00Z", "two").digest;
    CHECK(eventually([&host] { return host.reports().size() == 3; }));
    CHECK(host.runs() == std::vector<std::string>{d1, d2, d1});
    CHECK(host.reports() == std::vector<std::string>{"deployed " + d1 + " 0", "unhealthy " + d2 + " 0",
                                                     "reverted " + d1 + " 0"});

    // Several polls later the bad digest has not run again.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(host.runs().size() == 3);

    // The same image under another tag first, so its digest is known good before latest names it.
    const std::string d3 = kiln::test::push_test_image(pusher, "app", "next", "2026-01-03T00:00:00Z", "three").digest;
    host.mark_good(d3);
    CHECK(kiln::test::push_test_image(pusher, "app", "latest", "2026-01-03T00:00:00Z", "three").digest == d3);
    CHECK(eventually([&host] { return host.reports().size() == 4; }));
    CHECK(host.runs().back() == d3);
    CHECK(host.reports().back() == "deployed " + d3 + " 0");
    watcher.stop();
    loop.join();
}

TEST_CASE("a first deploy with --now that is unhealthy has nothing to revert to", "[watch][health][real]") {
    RegistryFixture registry;
    Client pusher = client_for(registry);
    Client watching = client_for(registry);
    Host host;
    const std::string d1 = kiln::test::push_test_image(pusher, "app", "latest", "2026-01-01T00:00:00Z", "one").digest;
    WatchOptions options = quick_health(host.url());
    options.now = true;
    options.once = true;
    Watcher watcher(watching, parse_reference("app:latest", registry.host()), options,
                    [&host](const std::string&, const std::string& digest) { return host.deploy(digest); },
                    [&host](const DeployEvent& event) { host.reported(event); });
    watcher.run();
    CHECK(host.runs() == std::vector<std::string>{d1});
    CHECK(host.reports() == std::vector<std::string>{"unhealthy " + d1 + " 0"});
}

TEST_CASE("a deploy that fails is reported failed and not health-checked", "[watch][health][real]") {
    RegistryFixture registry;
    Client pusher = client_for(registry);
    Client watching = client_for(registry);
    Host host;
    const std::string d1 = kiln::test::push_test_image(pusher, "app", "latest", "2026-01-01T00:00:00Z", "one").digest;
    WatchOptions options = quick_health(host.url());
    options.now = true;
    options.once = true;
    Watcher watcher(watching, parse_reference("app:latest", registry.host()), options,
                    [](const std::string&, const std::string&) { return 7; },
                    [&host](const DeployEvent& event) { host.reported(event); });
    watcher.run();
    CHECK(host.reports() == std::vector<std::string>{"failed " + d1 + " 7"});
}

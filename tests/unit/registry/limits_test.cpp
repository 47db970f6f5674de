// Peers that would stall or exhaust kiln: every exchange ends by its deadline,
// reads no more than its cap, and credentials stay with their origin.

#include "registry-client/client.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <sys/resource.h>

#include <catch2/catch.hpp>

#include "registry-client/digest.h"
#include "deploy/notify.h"
#include "tests/support/faulty_peer.h"
#include "tests/support/faulty_registry.h"
#include "tests/unit/registry/test_images.h"

using namespace kiln::registry;
using kiln::test::FaultyPeer;
using kiln::test::FaultyRegistry;
using kiln::test::string_source;

namespace {

ClientOptions options_for(const std::string& url) {
    ClientOptions options;
    options.url = url;
    options.retries = 2;
    options.request_timeout = std::chrono::seconds(2);
    return options;
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// How much the peak RSS may grow while a capped read runs: far below what an
// uncapped read of an endless or 2 GB body would take. AddressSanitizer keeps
// freed memory in a quarantine (256 MB by default), so its builds get more.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxGrowthKib = 512 * 1024;
#else
constexpr long kMaxGrowthKib = 64 * 1024;
#endif

}  // namespace

TEST_CASE("a peer that never answers ends the request at its deadline, without retrying", "[registry][slow]") {
    FaultyPeer peer(FaultyPeer::Mode::silent);
    CHECK_THROWS_WITH(Client(options_for(peer.url())).ping(),
                      "contacting registry " + peer.url() + ": registry " + peer.url() +
                          " sent no complete answer within 2 s");
    CHECK(peer.connections() == 1);
}

TEST_CASE("a byte-a-second answer cannot keep a request alive", "[registry][slow]") {
    // Each byte restarts httplib's read timeout; only the total deadline ends this.
    FaultyPeer peer(FaultyPeer::Mode::trickle);
    CHECK_THROWS_WITH(Client(options_for(peer.url())).ping(),
                      "contacting registry " + peer.url() + ": registry " + peer.url() +
                          " sent no complete answer within 2 s");
}

TEST_CASE("an endless body stops at the cap", "[registry]") {
    FaultyPeer peer(FaultyPeer::Mode::endless_body);
    const long before = peak_rss_kib();
    CHECK_THROWS_WITH(Client(options_for(peer.url())).get_manifest("app", "latest"),
                      "reading manifest app:latest: registry " + peer.url() +
                          " sent a manifest over kiln's limit of 4 MiB");
    CHECK_THROWS_WITH(Client(options_for(peer.url())).tags("app"),
                      "listing tags of app: registry " + peer.url() + " sent a list page over kiln's limit of 4 MiB");
    CHECK(peak_rss_kib() - before < kMaxGrowthKib);
}

TEST_CASE("an advertised 2 GB body is refused before a byte is read", "[registry]") {
    FaultyPeer peer(FaultyPeer::Mode::huge_length);
    const long before = peak_rss_kib();
    CHECK_THROWS_WITH(Client(options_for(peer.url())).catalog(),
                      "listing repositories of " + peer.url() + ": registry " + peer.url() +
                          " sent a list page over kiln's limit of 4 MiB");
    CHECK(peak_rss_kib() - before < kMaxGrowthKib);
}

TEST_CASE("the operation deadline and cancel stop a request in flight", "[registry][slow]") {
    FaultyPeer peer(FaultyPeer::Mode::silent);
    ClientOptions options = options_for(peer.url());
    options.request_timeout = std::chrono::seconds(60);

    SECTION("deadline") {
        options.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
        CHECK_THROWS_WITH(Client(options).ping(), "contacting registry " + peer.url() + ": deadline reached");
    }
    SECTION("cancel") {
        const auto cancel_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
        options.cancelled = [cancel_at] { return std::chrono::steady_clock::now() >= cancel_at; };
        CHECK_THROWS_WITH(Client(options).manifest_digest("app", "latest"),
                          "checking manifest app:latest: cancelled");
    }
}

TEST_CASE("a cancel ends the backoff between retries", "[registry]") {
    FaultyRegistry registry;
    std::atomic<int> calls{0};
    std::atomic<bool> cancel{false};
    registry.server().Get("/v2/", [&](const httplib::Request&, httplib::Response& response) {
        ++calls;
        cancel = true;
        response.status = 503;
    });
    registry.start();
    ClientOptions options = options_for(registry.url());
    options.retries = 5;
    options.cancelled = [&cancel] { return cancel.load(); };
    CHECK_THROWS_WITH(Client(options).ping(), "contacting registry " + registry.url() + ": cancelled");
    CHECK(calls == 1);
}

TEST_CASE("credentials never go to another origin", "[registry]") {
    FaultyRegistry registry;
    FaultyRegistry elsewhere;
    std::mutex mutex;
    std::vector<std::string> home_auth;
    std::vector<std::string> foreign_auth;
    auto record = [&mutex](std::vector<std::string>& into, const httplib::Request& request) {
        std::lock_guard lock(mutex);
        into.push_back(request.method + " " + request.path + " " + request.get_header_value("Authorization"));
    };
    const std::string data = "layer bytes";
    const std::string digest = sha256_digest(data);
    elsewhere.server().Put("/upload/u1", [&](const httplib::Request& request, httplib::Response& response) {
        record(foreign_auth, request);
        response.status = 201;
        response.set_header("Docker-Content-Digest", request.get_param_value("digest"));
    });
    elsewhere.server().Get("/storage/blob", [&](const httplib::Request& request, httplib::Response& response) {
        record(foreign_auth, request);
        response.set_content(data, "application/octet-stream");
    });
    elsewhere.start();
    registry.server().Post("/v2/app/blobs/uploads/", [&](const httplib::Request& request, httplib::Response& response) {
        record(home_auth, request);
        response.status = 202;
        response.set_header("Location", elsewhere.url() + "/upload/u1");
    });
    registry.server().Get("/v2/app/blobs/" + digest, [&](const httplib::Request& request, httplib::Response& response) {
        record(home_auth, request);
        response.status = 307;
        response.set_header("Location", elsewhere.url() + "/storage/blob");
    });
    registry.start();

    ClientOptions options = options_for(registry.url());
    options.username = "kiln";
    options.password = "pw";
    Client client(options);
    client.upload_blob("app", BlobDescriptor{digest, data.size()}, string_source(data, 4));
    CHECK(client.get_blob("app", digest) == data);
    CHECK(home_auth == std::vector<std::string>{"POST /v2/app/blobs/uploads/ Basic a2lsbjpwdw==",
                                                "GET /v2/app/blobs/" + digest + " Basic a2lsbjpwdw=="});
    CHECK(foreign_auth == std::vector<std::string>{"PUT /upload/u1 ", "GET /storage/blob "});
}

TEST_CASE("a notify reply is never read, and a slow one ends at the timeout", "[registry][slow]") {
    SECTION("a 204 and a 403 are told apart") {
        FaultyRegistry listener;
        listener.server().Post("/ok", [](const httplib::Request&, httplib::Response& response) { response.status = 204; });
        listener.server().Post("/no", [](const httplib::Request&, httplib::Response& response) {
            response.status = 403;
            response.set_content("forbidden\n", "text/plain");
        });
        listener.start();
        CHECK(post_json(listener.url() + "/ok", "{}") == std::nullopt);
        CHECK(post_json(listener.url() + "/no", "{}") == "HTTP 403");
    }
    SECTION("endless body after a 200") {
        FaultyPeer peer(FaultyPeer::Mode::endless_body);
        const long before = peak_rss_kib();
        CHECK(post_json(peer.url() + "/hook", "{}", std::chrono::seconds(2)) == std::nullopt);
        CHECK(peak_rss_kib() - before < kMaxGrowthKib);
    }
    SECTION("a byte at a time") {
        FaultyPeer peer(FaultyPeer::Mode::trickle);
        CHECK(post_json(peer.url() + "/hook", "{}", std::chrono::seconds(2)) == "no answer within 2 s");
    }
    SECTION("never") {
        FaultyPeer peer(FaultyPeer::Mode::silent);
        CHECK(post_json(peer.url() + "/hook", "{}", std::chrono::seconds(1)) == "no answer within 1 s");
    }
}

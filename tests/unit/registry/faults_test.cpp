// Faults a real registry will not produce on demand, against FaultyRegistry.

#include "registry-client/client.h"

#include <atomic>
#include <mutex>

#include <catch2/catch.hpp>

#include "registry-client/digest.h"
#include "tests/support/faulty_registry.h"
#include "tests/unit/registry/test_images.h"

using namespace kiln::registry;
using kiln::test::FaultyRegistry;
using kiln::test::string_source;

namespace {

ClientOptions options_for(const FaultyRegistry& registry, int retries = 2) {
    ClientOptions options;
    options.url = registry.url();
    options.retries = retries;
    return options;
}

}  // namespace

TEST_CASE("a 503 is retried, and gives up with the registry's reason", "[registry]") {
    FaultyRegistry registry;
    std::atomic<int> calls{0};
    registry.server().Get("/v2/", [&](const httplib::Request&, httplib::Response& response) {
        if (++calls < 3) {
            response.status = 503;
            response.set_content(R"({"errors":[{"code":"UNAVAILABLE","message":"busy"}]})", "application/json");
            return;
        }
        response.set_content("{}", "application/json");
    });
    registry.start();
    Client(options_for(registry)).ping();
    CHECK(calls == 3);

    calls = -10;
    CHECK_THROWS_WITH(Client(options_for(registry, 1)).ping(),
                      "contacting registry " + registry.url() + ": registry said UNAVAILABLE: busy");
    CHECK(calls == -8);
}

TEST_CASE("relative Locations resolve and the newest one is used", "[registry]") {
    FaultyRegistry registry;
    std::string stored;
    std::string put_target;
    std::mutex mutex;
    registry.server().Post("/v2/app/blobs/uploads/", [&](const httplib::Request&, httplib::Response& response) {
        response.status = 202;
        response.set_header("Location", "/v2/app/blobs/uploads/u1?_state=s0");
    });
    registry.server().Patch("/v2/app/blobs/uploads/u1",
                            [&](const httplib::Request& request, httplib::Response& response) {
                                std::lock_guard lock(mutex);
                                stored += request.body;
                                response.status = 202;
                                response.set_header("Location", "u1?_state=s1");
                            });
    registry.server().Put("/v2/app/blobs/uploads/u1", [&](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex);
        put_target = request.target;
        response.status = 201;
        response.set_header("Docker-Content-Digest", request.get_param_value("digest"));
    });
    registry.start();
    Client client(options_for(registry));
    std::string data(200000, 'x');
    BlobDescriptor blob = client.upload_blob_streaming("app", string_source(data, 4096));
    CHECK(stored == data);
    CHECK(blob.digest == sha256_digest(data));
    CHECK(put_target == "/v2/app/blobs/uploads/u1?_state=s1&digest=sha256%3A" + blob.digest.substr(7));
}

TEST_CASE("an upload broken half way resumes from the registry's offset", "[registry]") {
    FaultyRegistry registry;
    std::string stored;
    std::mutex mutex;
    int puts = 0;
    registry.server().Post("/v2/app/blobs/uploads/", [&](const httplib::Request&, httplib::Response& response) {
        response.status = 202;
        response.set_header("Location", registry.url() + "/v2/app/blobs/uploads/u1?_state=start");
    });
    // The first (monolithic) PUT keeps half the body and fails like a dying proxy.
    registry.server().Put("/v2/app/blobs/uploads/u1",
                          [&](const httplib::Request& request, httplib::Response& response,
                              const httplib::ContentReader& reader) {
                              std::lock_guard lock(mutex);
                              std::string body;
                              reader([&](const char* data, std::size_t size) {
                                  body.append(data, size);
                                  return true;
                              });
                              if (++puts == 1) {
                                  stored = body.substr(0, body.size() / 2);
                                  response.status = 502;
                                  return;
                              }
                              stored += body;
                              if (sha256_digest(stored) != request.get_param_value("digest")) {
                                  response.status = 400;
                                  response.set_content(R"({"errors":[{"code":"DIGEST_INVALID","message":"no"}]})",
                                                       "application/json");
                                  return;
                              }
                              response.status = 201;
                              response.set_header("Docker-Content-Digest", sha256_digest(stored));
                          });
    registry.server().Get("/v2/app/blobs/uploads/u1", [&](const httplib::Request&, httplib::Response& response) {
        std::lock_guard lock(mutex);
        response.status = 204;
        response.set_header("Range", "0-" + std::to_string(stored.size() - 1));
        response.set_header("Location", "/v2/app/blobs/uploads/u1?_state=after-get");
    });
    std::string patch_range;
    registry.server().Patch("/v2/app/blobs/uploads/u1", [&](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex);
        CHECK(request.get_param_value("_state") == "after-get");
        patch_range = request.get_header_value("Content-Range");
        stored += request.body;
        response.status = 202;
        response.set_header("Location", "/v2/app/blobs/uploads/u1?_state=after-patch");
    });
    registry.start();
    Client client(options_for(registry));
    std::string data(100000, 'y');
    data += "tail";
    client.upload_blob("app", {sha256_digest(data), data.size()}, string_source(data, 1000));
    CHECK(stored == data);
    CHECK(puts == 2);
    CHECK(patch_range == std::to_string(data.size() / 2) + "-" + std::to_string(data.size() - 1));
}

TEST_CASE("a Bearer challenge fetches a token with the credentials and retries", "[registry]") {
    FaultyRegistry registry;
    std::string token_query;
    std::string token_auth;
    registry.server().Get("/v2/", [&](const httplib::Request& request, httplib::Response& response) {
        if (request.get_header_value("Authorization") != "Bearer t0k3n") {
            response.status = 401;
            response.set_header("WWW-Authenticate", "Bearer realm=\"" + registry.url() +
                                                        "/token\",service=\"kiln-test\",scope=\"registry:catalog:*\"");
            response.set_content(R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
                                 "application/json");
            return;
        }
        response.set_content("{}", "application/json");
    });
    registry.server().Get("/token", [&](const httplib::Request& request, httplib::Response& response) {
        token_query = "service=" + request.get_param_value("service") + " scope=" + request.get_param_value("scope");
        token_auth = request.get_header_value("Authorization");
        response.set_content(R"({"token":"t0k3n"})", "application/json");
    });
    registry.start();
    ClientOptions options = options_for(registry);
    options.username = "kiln";
    options.password = "pw";
    Client(options).ping();
    CHECK(token_query == "service=kiln-test scope=registry:catalog:*");
    CHECK(token_auth == "Basic a2lsbjpwdw==");
}

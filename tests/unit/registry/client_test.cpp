#include "registry-client/client.h"

#include <cstring>
#include <memory>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "registry-client/digest.h"
#include "tests/support/registry_fixture.h"
#include "tests/unit/registry/test_images.h"

using namespace kiln::registry;
using kiln::test::RegistryFixture;
using kiln::test::string_source;

namespace {

ClientOptions options_for(const RegistryFixture& registry) {
    ClientOptions options;
    options.url = registry.url();
    options.retries = 1;
    return options;
}

std::string pattern(std::size_t size) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        data[i] = static_cast<char>((i * 7919) % 251);
    }
    return data;
}

}  // namespace

TEST_CASE("blobs upload monolithically and by one streaming PATCH", "[registry][real]") {
    RegistryFixture registry;
    Client client(options_for(registry));
    client.ping();
    std::string data = pattern(3 * 1024 * 1024 + 17);
    std::string digest = sha256_digest(data);

    CHECK_FALSE(client.blob_size("app", digest).has_value());
    std::uint64_t reported = 0;
    client.upload_blob("app", {digest, data.size()}, string_source(data), [&](std::uint64_t sent) { reported = sent; });
    CHECK(reported == data.size());
    CHECK(client.blob_size("app", digest) == data.size());

    std::string other = pattern(1000) + "streamed";
    BlobDescriptor streamed = client.upload_blob_streaming("app", string_source(other, 333));
    CHECK(streamed.digest == sha256_digest(other));
    CHECK(streamed.size == other.size());
    CHECK(client.get_blob("app", streamed.digest) == other);

    SECTION("a source that does not match its digest fails before the registry stores it") {
        std::string wrong = sha256_digest("something else");
        CHECK_THROWS_WITH(client.upload_blob("app", {wrong, other.size()}, string_source(other)),
                          "pushing blob " + wrong.substr(0, 19) + "\u2026 to app: registry said DIGEST_INVALID: "
                          "provided digest did not match uploaded content");
        CHECK_FALSE(client.blob_size("app", wrong).has_value());
    }
    SECTION("a source shorter than announced is a clear error") {
        CHECK_THROWS_WITH(client.upload_blob("app", {digest, data.size() + 5}, string_source(data)),
                          "pushing blob " + digest.substr(0, 19) + "\u2026 to app: the blob source ended after " +
                              std::to_string(data.size()) + " of " + std::to_string(data.size() + 5) + " bytes");
    }
    SECTION("mounting from another repository") {
        CHECK(client.mount_blob("other", digest, "app"));
        CHECK(client.blob_size("other", digest) == data.size());
        CHECK_FALSE(client.mount_blob("other", sha256_digest("absent"), "app"));
    }
}

TEST_CASE("manifests go up byte for byte and come back with the full Accept list", "[registry][real]") {
    RegistryFixture registry;
    Client client(options_for(registry));
    auto image = kiln::test::push_test_image(client, "app", "v1", "2024-05-01T10:00:00Z", "layer one");

    std::optional<Manifest> manifest = client.get_manifest("app", "v1");
    REQUIRE(manifest);
    CHECK(manifest->media_type == kDockerManifest);
    CHECK(manifest->digest == image.digest);
    CHECK(sha256_digest(manifest->bytes) == image.digest);
    CHECK(client.get_manifest("app", image.digest)->bytes == manifest->bytes);
    CHECK(client.manifest_digest("app", "v1") == image.digest);
    CHECK_FALSE(client.manifest_digest("app", "nope").has_value());
    CHECK_FALSE(client.get_manifest("app", "nope").has_value());

    ManifestCheck check = client.check_manifest("app", "v1", image.digest);
    CHECK(check.state == ManifestCheck::State::unchanged);
    check = client.check_manifest("app", "v1", sha256_digest("old"));
    CHECK(check.state == ManifestCheck::State::changed);
    CHECK(check.digest == image.digest);

    SECTION("OCI manifests need the OCI types in Accept, which the client always sends") {
        std::string oci = manifest->bytes;
        oci.replace(oci.find(kDockerManifest), std::string(kDockerManifest).size(), kOciManifest);
        std::string digest = client.put_manifest("app", "oci", {kOciManifest, "", oci});
        CHECK(client.manifest_digest("app", "oci") == digest);
        CHECK(client.get_manifest("app", digest)->media_type == kOciManifest);
    }
    SECTION("a manifest whose blobs are missing gets the registry's reason") {
        std::string missing = manifest->bytes;
        std::string absent = sha256_digest("not uploaded");
        missing.replace(missing.find(image.layer_digest), image.layer_digest.size(), absent);
        CHECK_THROWS_WITH(client.put_manifest("app", "broken", {kDockerManifest, "", missing}),
                          "pushing manifest app:broken: registry said MANIFEST_BLOB_UNKNOWN: blob unknown to registry (" +
                              absent + ")");
    }
    SECTION("deleting by digest removes every tag on it") {
        client.put_manifest("app", "v1-copy", *manifest);
        CHECK(client.tags("app") == std::vector<std::string>{"v1", "v1-copy"});
        client.delete_manifest("app", image.digest);
        CHECK(client.tags("app").empty());
        CHECK(client.catalog().empty());
        CHECK_THROWS_WITH(client.delete_manifest("app", image.digest),
                          "deleting manifest app@" + image.digest + ": registry said MANIFEST_UNKNOWN: manifest unknown");
    }
}

TEST_CASE("tags are sorted and the catalog hides emptied repositories", "[registry][real]") {
    RegistryFixture registry;
    Client client(options_for(registry));
    auto a = kiln::test::push_test_image(client, "team/b", "v2", "2024-05-01T10:00:00Z", "b");
    kiln::test::push_test_image(client, "team/b", "v10", "2024-05-02T10:00:00Z", "b2");
    kiln::test::push_test_image(client, "a", "latest", "2024-05-01T10:00:00Z", "a");
    auto gone = kiln::test::push_test_image(client, "gone", "x", "2024-05-01T10:00:00Z", "g");
    client.delete_manifest("gone", gone.digest);
    CHECK(client.tags("team/b") == std::vector<std::string>{"v10", "v2"});
    CHECK(client.catalog() == std::vector<std::string>{"a", "team/b"});
    CHECK_THROWS_WITH(client.tags("nothere"),
                      "listing tags of nothere: registry said NAME_UNKNOWN: repository name not known to registry");
}

TEST_CASE("the client tells whether the registry deletes manifests and deletes nothing", "[registry][real]") {
    SECTION("deletes enabled") {
        RegistryFixture registry;
        Client client(options_for(registry));
        CHECK(client.deletes_enabled("kiln-doctor"));
        CHECK(client.catalog().empty());
    }
    SECTION("deletes disabled") {
        RegistryFixture::Options options;
        options.deletes = false;
        RegistryFixture registry(options);
        Client client(options_for(registry));
        CHECK_FALSE(client.deletes_enabled("kiln-doctor"));
    }
}

TEST_CASE("a registry that is down gives a clear error", "[registry][real]") {
    RegistryFixture registry;
    Client client(options_for(registry));
    client.ping();
    registry.stop();
    CHECK_THROWS_WITH(client.ping(), "contacting registry " + registry.url() + ": registry " + registry.url() +
                                         " is not reachable: connection refused (check that the registry is running "
                                         "and that registry.url in the kiln config points at it)");
    registry.start();
    client.ping();
}

TEST_CASE("htpasswd auth works with credentials and explains itself without", "[registry][real]") {
    RegistryFixture registry(RegistryFixture::Options{true});
    ClientOptions options = options_for(registry);
    Client anonymous(options);
    CHECK_THROWS_WITH(anonymous.ping(), "contacting registry " + registry.url() +
                                            ": registry said UNAUTHORIZED: authentication required; the registry "
                                            "requires credentials: set registry.username and registry.password in "
                                            "the kiln config");
    options.username = "kiln";
    options.password = "wrong";
    CHECK_THROWS_WITH(Client(options).ping(),
                      "contacting registry " + registry.url() +
                          ": registry said UNAUTHORIZED: authentication required; the registry rejected the "
                          "credentials of user 'kiln' (check registry.username and registry.password in the kiln "
                          "config)");
    options.password = "s3cret";
    Client client(options);
    client.ping();
    auto image = kiln::test::push_test_image(client, "app", "v1", "2024-05-01T10:00:00Z", "secret layer");
    CHECK(client.manifest_digest("app", "v1") == image.digest);
}

TEST_CASE("a registry restarted in the middle of an upload: the client resumes or restarts it", "[registry][real]") {
    RegistryFixture registry;
    ClientOptions options = options_for(registry);
    options.retries = 3;
    Client client(options);
    std::string data = pattern(16 * 1024 * 1024);
    std::string digest = sha256_digest(data);
    bool restarted = false;
    // The first pass through the source restarts the registry half way.
    BlobSource source = [&] {
        auto offset = std::make_shared<std::size_t>(0);
        return [&, offset](char* buffer, std::size_t capacity) {
            if (!restarted && *offset >= data.size() / 2) {
                restarted = true;
                registry.stop();
                registry.start();
            }
            std::size_t count = std::min(capacity, data.size() - *offset);
            std::memcpy(buffer, data.data() + *offset, count);
            *offset += count;
            return count;
        };
    };
    client.upload_blob("app", {digest, data.size()}, source);
    CHECK(restarted);
    CHECK(client.blob_size("app", digest) == data.size());
    CHECK(sha256_digest(client.get_blob("app", digest, data.size())) == digest);
}

#include <catch2/catch.hpp>

#include "common/error.h"
#include "registry-client/image_inspect.h"
#include "registry-client/image_list.h"
#include "registry-client/image_prune.h"
#include "registry-client/image_remove.h"
#include "registry-client/image_tag.h"
#include "tests/support/registry_fixture.h"
#include "tests/unit/registry/test_images.h"

using namespace kiln::registry;
using kiln::test::push_test_image;
using kiln::test::RegistryFixture;

namespace {

Client client_for(const RegistryFixture& registry) {
    ClientOptions options;
    options.url = registry.url();
    options.retries = 0;
    return Client(options);
}

std::vector<std::string> tags_with(const PrunePlan& plan, PruneEntry::Action action) {
    std::vector<std::string> tags;
    for (const auto& entry : plan.entries) {
        if (entry.action == action) {
            tags.push_back(entry.tag);
        }
    }
    return tags;
}

}  // namespace

TEST_CASE("tag copies the manifest and inspect reads it back", "[registry][real]") {
    RegistryFixture registry;
    Client client = client_for(registry);
    auto image = push_test_image(client, "app", "v1", "2024-05-01T10:00:00.5Z", "layer");
    Reference v1 = parse_reference("app:v1", registry.host());
    CHECK(tag_image(client, v1, "stable") == image.digest);
    CHECK(client.manifest_digest("app", "stable") == image.digest);
    CHECK_THROWS_WITH(tag_image(client, parse_reference("app:nope", registry.host()), "x"),
                      "tagging " + registry.host() + "/app:nope as x: " + registry.host() + "/app:nope does not exist");
    CHECK_THROWS_AS(tag_image(client, v1, "bad tag"), kiln::UsageError);

    std::optional<ImageInfo> info = inspect_image(client, v1);
    REQUIRE(info);
    CHECK(info->digest == image.digest);
    CHECK(info->media_type == kDockerManifest);
    CHECK(info->config_digest == image.config_digest);
    REQUIRE(info->layers.size() == 1);
    CHECK(info->layers[0].digest == image.layer_digest);
    CHECK(info->layers[0].size == 5);
    CHECK(info->platform.str() == "linux/amd64");
    CHECK(info->created == "2024-05-01T10:00:00.5Z");
    CHECK(info->size > info->manifest_size + 5);
    CHECK_FALSE(inspect_image(client, parse_reference("app:nope", registry.host())));

    auto listed = list_images(client);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].name == "app");
    CHECK(listed[0].tags == std::vector<std::string>{"stable", "v1"});
}

TEST_CASE("rm removes a shared tag alone, and the image with --all-tags", "[registry][real]") {
    RegistryFixture registry;
    Client client = client_for(registry);
    auto image = push_test_image(client, "app", "v1", "2024-05-01T10:00:00Z", "layer");
    auto other = push_test_image(client, "app", "v2", "2024-05-02T10:00:00Z", "layer 2");
    tag_image(client, parse_reference("app:v1", registry.host()), "stable");
    tag_image(client, parse_reference("app:v1", registry.host()), "prod");
    Reference v1 = parse_reference("app:v1", registry.host());

    RemoveResult removed = remove_image(client, v1, false);
    CHECK_FALSE(removed.image_deleted);
    CHECK(removed.digest == image.digest);
    CHECK(removed.tags == std::vector<std::string>{"v1"});
    CHECK(removed.kept_tags == std::vector<std::string>{"prod", "stable"});
    CHECK(client.tags("app") == std::vector<std::string>{"prod", "stable", "v2"});
    // The image itself, its layer and config, are all still there.
    CHECK(client.manifest_digest("app", "stable") == image.digest);
    CHECK(client.get_manifest("app", image.digest));
    CHECK(client.blob_size("app", image.layer_digest));
    CHECK(client.blob_size("app", image.config_digest));

    removed = remove_image(client, parse_reference("app:stable", registry.host()), true);
    CHECK(removed.image_deleted);
    CHECK(removed.tags == std::vector<std::string>{"prod", "stable"});
    CHECK(client.tags("app") == std::vector<std::string>{"v2"});
    CHECK_FALSE(client.get_manifest("app", image.digest));

    // A tag alone on its image deletes the image.
    tag_image(client, parse_reference("app:v2", registry.host()), "v2-copy");
    removed = remove_image(client, parse_reference("app@" + other.digest, registry.host()), false);
    CHECK(removed.image_deleted);
    CHECK(removed.tags == std::vector<std::string>{"v2", "v2-copy"});
    CHECK(client.tags("app").empty());
    CHECK_THROWS_WITH(remove_image(client, v1, false),
                      "removing " + registry.host() + "/app:v1: " + registry.host() + "/app:v1 does not exist");
}

TEST_CASE("rm of the only tag on an image deletes the image", "[registry][real]") {
    RegistryFixture registry;
    Client client = client_for(registry);
    auto image = push_test_image(client, "app", "v1", "2024-05-01T10:00:00Z", "layer");
    RemoveResult removed = remove_image(client, parse_reference("app:v1", registry.host()), false);
    CHECK(removed.image_deleted);
    CHECK(removed.tags == std::vector<std::string>{"v1"});
    CHECK_FALSE(client.get_manifest("app", image.digest));
}

TEST_CASE("prune keeps the newest images and every digest a kept tag names", "[registry][real]") {
    RegistryFixture registry;
    Client client = client_for(registry);
    push_test_image(client, "app", "aaaaaaa", "2024-05-01T10:00:00Z", "1");
    auto second = push_test_image(client, "app", "bbbbbbb", "2024-05-02T10:00:00Z", "2");
    auto third = push_test_image(client, "app", "ccccccc", "2024-05-03T10:00:00+02:00", "3");
    push_test_image(client, "app", "ddddddd", "2024-05-03T09:00:00Z", "4");
    // An old tag on the newest image: one image, so it takes one place of `keep`.
    tag_image(client, parse_reference("app:ddddddd", registry.host()), "0000000");
    tag_image(client, parse_reference("app:bbbbbbb", registry.host()), "latest");

    PruneOptions options;
    options.keep = 2;
    options.dry_run = true;
    options.counts = looks_like_build_tag;
    PrunePlan plan = prune_images(client, "app", options);
    std::vector<std::string> order;
    for (const auto& entry : plan.entries) {
        order.push_back(entry.tag);
    }
    // 10:00+02:00 is 08:00Z, older than ddddddd's 09:00Z; equal times go by tag name, higher first.
    CHECK(order == std::vector<std::string>{"ddddddd", "0000000", "ccccccc", "latest", "bbbbbbb", "aaaaaaa"});
    CHECK(tags_with(plan, PruneEntry::Action::keep) == std::vector<std::string>{"ddddddd", "0000000", "ccccccc"});
    CHECK(tags_with(plan, PruneEntry::Action::keep_uncounted) == std::vector<std::string>{"latest"});
    CHECK(tags_with(plan, PruneEntry::Action::keep_shared) == std::vector<std::string>{"bbbbbbb"});
    CHECK(tags_with(plan, PruneEntry::Action::remove) == std::vector<std::string>{"aaaaaaa"});
    CHECK(plan.deleted.size() == 1);
    CHECK(client.tags("app").size() == 6);

    options.dry_run = false;
    options.keep = 1;
    plan = prune_images(client, "app", options);
    CHECK(tags_with(plan, PruneEntry::Action::keep) == std::vector<std::string>{"ddddddd", "0000000"});
    CHECK(tags_with(plan, PruneEntry::Action::keep_shared) == std::vector<std::string>{"bbbbbbb"});
    CHECK(client.tags("app") == std::vector<std::string>{"0000000", "bbbbbbb", "ddddddd", "latest"});
    CHECK(client.manifest_digest("app", "bbbbbbb") == second.digest);
    CHECK_FALSE(client.get_manifest("app", third.digest));
}

TEST_CASE("prune keeps protected digests first, within keep and beyond it", "[registry][real]") {
    RegistryFixture registry;
    Client client = client_for(registry);
    auto oldest = push_test_image(client, "app", "aaaaaaa", "2024-05-01T10:00:00Z", "1");
    auto middle = push_test_image(client, "app", "bbbbbbb", "2024-05-02T10:00:00Z", "2");
    auto newest = push_test_image(client, "app", "ccccccc", "2024-05-03T10:00:00Z", "3");
    // The same image built again (the README changed): many tags, one image.
    tag_image(client, parse_reference("app:ccccccc", registry.host()), "ddddddd");
    tag_image(client, parse_reference("app:ccccccc", registry.host()), "eeeeeee");

    PruneOptions options;
    options.keep = 2;
    options.dry_run = true;
    options.protected_digests = {oldest.digest};
    PrunePlan plan = prune_images(client, "app", options);
    // The protected oldest image takes one place; the newest image the other.
    CHECK(tags_with(plan, PruneEntry::Action::keep) == std::vector<std::string>{"eeeeeee", "ddddddd", "ccccccc", "aaaaaaa"});
    CHECK(plan.deleted == std::vector<std::string>{middle.digest});

    options.keep = 1;
    options.protected_digests = {oldest.digest, middle.digest};
    plan = prune_images(client, "app", options);
    // More protected images than `keep`: all stay, no others.
    CHECK(tags_with(plan, PruneEntry::Action::keep) == std::vector<std::string>{"bbbbbbb"});
    CHECK(tags_with(plan, PruneEntry::Action::keep_protected) == std::vector<std::string>{"aaaaaaa"});
    CHECK(plan.deleted == std::vector<std::string>{newest.digest});
}

TEST_CASE("RFC 3339 times order correctly", "[registry]") {
    CHECK(parse_rfc3339("2024-05-01T10:00:00Z") < parse_rfc3339("2024-05-01T10:00:00.5Z"));
    CHECK(parse_rfc3339("2024-05-01T10:00:00+02:00") == parse_rfc3339("2024-05-01T08:00:00Z"));
    CHECK_FALSE(parse_rfc3339("yesterday"));
    CHECK_FALSE(parse_rfc3339(""));
}

TEST_CASE("inspect lists the platforms of an index, and prune dates it by its first child", "[registry][real]") {
    RegistryFixture registry;
    Client client = client_for(registry);
    auto image = push_test_image(client, "app", "single", "2024-05-01T10:00:00Z", "layer");
    std::optional<Manifest> child = client.get_manifest("app", image.digest);
    REQUIRE(child);
    std::string index = R"({"schemaVersion":2,"mediaType":")" + std::string(kOciIndex) + R"(","manifests":[{"mediaType":")" +
                        kDockerManifest + R"(","digest":")" + image.digest + R"(","size":)" +
                        std::to_string(child->bytes.size()) +
                        R"(,"platform":{"architecture":"arm","os":"linux","variant":"v7"}}]})";
    std::string digest = client.put_manifest("app", "multi", {kOciIndex, "", index});

    std::optional<ImageInfo> info = inspect_image(client, parse_reference("app:multi", registry.host()));
    REQUIRE(info);
    CHECK(info->digest == digest);
    CHECK(info->media_type == kOciIndex);
    REQUIRE(info->manifests.size() == 1);
    CHECK(info->manifests[0].digest == image.digest);
    CHECK(info->manifests[0].platform.str() == "linux/arm/v7");
    CHECK(info->size == index.size() + child->bytes.size());
    CHECK(image_created(client, "app", *client.get_manifest("app", "multi")) == "2024-05-01T10:00:00Z");
}

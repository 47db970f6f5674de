#include "runner/registry_options.h"

#include <catch2/catch.hpp>

using namespace kiln;

namespace {

config::RegistryConfig configured(const std::string& url) {
    config::RegistryConfig registry;
    registry.url = url;
    registry.username = "ci";
    registry.password = "s3cret";
    return registry;
}

}  // namespace

TEST_CASE("registry_options carries the configured URL and credentials", "[registry_options]") {
    const registry::ClientOptions options = runner::registry_options(configured("http://127.0.0.1:5000"));
    CHECK(options.url == "http://127.0.0.1:5000");
    CHECK(options.username == "ci");
    CHECK(options.password == "s3cret");
    CHECK(options.retries == registry::ClientOptions{}.retries);
}

TEST_CASE("registry_options_for another host keeps the scheme and drops the credentials", "[registry_options]") {
    const config::RegistryConfig registry = configured("https://registry.example");
    const registry::ClientOptions same =
        runner::registry_options_for(registry, registry::parse_reference("app:v1", "registry.example"));
    CHECK(same.url == "https://registry.example");
    CHECK(same.username == "ci");

    const registry::ClientOptions other =
        runner::registry_options_for(registry, registry::parse_reference("other.example:5000/app:v1", "registry.example"));
    CHECK(other.url == "https://other.example:5000");
    CHECK(other.username.empty());
    CHECK(other.password.empty());
}

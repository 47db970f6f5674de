#include <catch2/catch.hpp>

#include "common/error.h"
#include "config/registry_file.h"

using namespace kiln::config;

namespace {

const std::string kRegistry = R"(# kiln's registry
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: 100.101.102.103:5000
  secret: s3cret
)";

}  // namespace

TEST_CASE("the registry's config gives its address and storage", "[config]") {
    const RegistryFile file = parse_registry_file(kRegistry, "/etc/kiln/registry.yml");
    CHECK(file.addr == "100.101.102.103:5000");
    CHECK(file.storage == "/var/lib/docker-registry");
    CHECK_THROWS_WITH(parse_registry_file("version: 0.1\nhttp: {addr: ':5000'}\n", "r.yml"),
                      "r.yml: no storage.filesystem.rootdirectory (kiln measures and collects only filesystem "
                      "storage) in the registry's config");
    CHECK_THROWS_WITH(parse_registry_file("- a list\n", "r.yml"), "r.yml: expected a registry config (a YAML mapping)");
}

TEST_CASE("the read-only version keeps every key and adds maintenance.readonly", "[config]") {
    const std::string read_only = registry_file_read_only(kRegistry, "/etc/kiln/registry.yml");
    const RegistryFile file = parse_registry_file(read_only, "read-only");
    CHECK(file.addr == "100.101.102.103:5000");
    CHECK(file.storage == "/var/lib/docker-registry");
    CHECK(read_only.find("secret: s3cret") != std::string::npos);
    CHECK(read_only.find("  delete:\n    enabled: true") != std::string::npos);
    CHECK(read_only.find("  maintenance:\n    readonly:\n      enabled: true") != std::string::npos);

    // An uploadpurging block already under maintenance stays.
    const std::string with_purging = registry_file_read_only(
        "storage:\n  filesystem: {rootdirectory: /s}\n  maintenance:\n    uploadpurging: {enabled: false}\n"
        "    readonly: {enabled: false}\nhttp: {addr: ':5000'}\n",
        "r.yml");
    CHECK(with_purging.find("uploadpurging") != std::string::npos);
    CHECK(with_purging.find("enabled: true") != std::string::npos);
}

TEST_CASE("addr_port reads the port of an http.addr", "[config]") {
    CHECK(addr_port("127.0.0.1:5000") == "5000");
    CHECK(addr_port(":5000") == "5000");
    CHECK(addr_port("[::1]:5001") == "5001");
    CHECK(addr_port("localhost") == "");
    CHECK(addr_port("host:") == "");
}

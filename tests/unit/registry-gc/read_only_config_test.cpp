#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "config/registry_file.h"
#include "registry-gc/read_only_config.h"
#include "registry-gc/storage_size.h"
#include "tests/support/temp_dir.h"

using kiln::registry_gc::ReadOnlyConfig;

namespace {

const std::string kConfig = "# the registry\nstorage:\n  filesystem:\n    rootdirectory: /s\nhttp:\n  addr: ':5000'\n";

unsigned mode_of(const std::filesystem::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

bool read_only(const std::filesystem::path& path) {
    return kiln::read_file(path).find("readonly:\n      enabled: true") != std::string::npos;
}

}  // namespace

TEST_CASE("the registry's config is read-only for the scope, and put back however it ends", "[registry_gc]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path path = dir.write("registry.yml", kConfig);
    std::filesystem::permissions(path, std::filesystem::perms(0640));
    int restarts = 0;

    SECTION("restored explicitly") {
        ReadOnlyConfig config(path, [&] { ++restarts; });
        CHECK(read_only(path));
        CHECK(mode_of(path) == 0640);
        CHECK(kiln::read_file(ReadOnlyConfig::saved_copy(path)) == kConfig);
        CHECK(restarts == 0);
        config.restore();
        CHECK(kiln::read_file(path) == kConfig);
        CHECK_FALSE(std::filesystem::exists(ReadOnlyConfig::saved_copy(path)));
        CHECK(restarts == 1);
    }
    SECTION("by the destructor, when an exception leaves the scope") {
        try {
            ReadOnlyConfig config(path, [&] { ++restarts; });
            throw std::runtime_error("garbage-collect failed");
        } catch (const std::runtime_error&) {
        }
        CHECK(kiln::read_file(path) == kConfig);
        CHECK(mode_of(path) == 0640);
        CHECK(restarts == 1);
    }
    SECTION("by the next gc, after one that died") {
        kiln::write_file_atomic(ReadOnlyConfig::saved_copy(path), kConfig, 0640);
        kiln::write_file_atomic(path, kiln::config::registry_file_read_only(kConfig, path), 0640);
        CHECK(ReadOnlyConfig::restore_leftover(path));
        CHECK(kiln::read_file(path) == kConfig);
        CHECK_FALSE(ReadOnlyConfig::restore_leftover(path));
    }
}

TEST_CASE("storage_bytes counts every file's bytes", "[registry_gc]") {
    const kiln::test::TempDir dir;
    dir.write("storage/a", std::string(1000, 'a'));
    dir.write("storage/deep/er/b", std::string(234, 'b'));
    CHECK(kiln::registry_gc::storage_bytes(dir / "storage") == 1234);
    CHECK_THROWS_WITH(kiln::registry_gc::storage_bytes(dir / "none"),
                      "measuring the registry's storage '" + (dir / "none").string() + "': No such file or directory");
}

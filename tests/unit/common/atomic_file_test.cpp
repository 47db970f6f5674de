#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "tests/support/small_tmpfs.h"
#include "tests/support/temp_dir.h"

namespace {

std::size_t entries(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("write_file_atomic replaces a file and leaves no temporary behind", "[atomic_file]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path target = dir / "build.json";
    kiln::write_file_atomic(target, "first");
    kiln::write_file_atomic(target, "second", 0600);
    CHECK(kiln::read_file(target) == "second");
    struct stat info {};
    REQUIRE(::stat(target.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(entries(dir.path()) == 1);
}

TEST_CASE("write_file_atomic into a missing directory says where", "[atomic_file]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path target = dir / "missing" / "file";
    REQUIRE_THROWS_AS(kiln::write_file_atomic(target, "x"), kiln::StateError);
    REQUIRE_THROWS_WITH(kiln::write_file_atomic(target, "x"),
                        "writing '" + target.string() + "': No such file or directory");
}

TEST_CASE("a rename that fails removes the temp file", "[atomic_file]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path target = dir / "build.json";
    std::filesystem::create_directories(target / "in the way");
    REQUIRE_THROWS_WITH(kiln::write_file_atomic(target, "x"), Catch::StartsWith("writing '" + target.string() + "': "));
    CHECK(entries(dir.path()) == 1);
}

TEST_CASE("on a full disk the write fails clearly, keeps the old file and leaves no temp file", "[atomic_file]") {
    if (const std::optional<std::string> reason = kiln::test::SmallTmpfs::cannot_mount()) {
        WARN("skipped: " << *reason);
        return;
    }
    const kiln::test::TempDir dir;
    const kiln::test::SmallTmpfs disk(dir / "state", 64 * 1024);
    const std::filesystem::path target = disk.path() / "build.json";
    kiln::write_file_atomic(target, "queued");
    disk.fill();
    REQUIRE_THROWS_AS(kiln::write_file_atomic(target, std::string(8192, 'r')), kiln::StateError);
    REQUIRE_THROWS_WITH(kiln::write_file_atomic(target, "running"),
                        "writing '" + target.string() + "': No space left on device");
    CHECK(kiln::read_file(target) == "queued");
    CHECK(entries(disk.path()) == 2);  // build.json and the filler

    disk.free_space();
    kiln::write_file_atomic(target, "success");
    CHECK(kiln::read_file(target) == "success");
    CHECK(entries(disk.path()) == 1);
}

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "tests/support/temp_dir.h"

TEST_CASE("write_file_atomic replaces a file and leaves no temporary behind", "[atomic_file]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path target = dir / "build.json";
    kiln::write_file_atomic(target, "first");
    kiln::write_file_atomic(target, "second", 0600);
    CHECK(kiln::read_file(target) == "second");
    struct stat info {};
    REQUIRE(::stat(target.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("write_file_atomic into a missing directory says where", "[atomic_file]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path target = dir / "missing" / "file";
    REQUIRE_THROWS_AS(kiln::write_file_atomic(target, "x"), kiln::StateError);
    REQUIRE_THROWS_WITH(kiln::write_file_atomic(target, "x"),
                        Catch::StartsWith("creating '" + target.string() + ".tmp."));
}

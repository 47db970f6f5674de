#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "common/file_modes.h"
#include "tests/support/temp_dir.h"

namespace {

unsigned mode_of(const std::filesystem::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("create_private_dirs makes missing folders 0700 and leaves existing ones", "[file_modes]") {
    const kiln::test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    const mode_t old_umask = ::umask(0);
    kiln::create_private_dirs(dir / "state/builds/app");
    ::umask(old_umask);
    CHECK(mode_of(dir / "state") == 0700);
    CHECK(mode_of(dir / "state/builds") == 0700);
    CHECK(mode_of(dir / "state/builds/app") == 0700);
    CHECK(mode_of(dir.path()) == 0755);
    kiln::create_private_dirs(dir / "state/builds/app");  // exists: fine
}

TEST_CASE("readable_by_others names the file, its mode and the chmod that fixes it", "[file_modes]") {
    const kiln::test::TempDir dir;
    const auto file = dir.write("app.env", "TOKEN=x\n");
    ::chmod(file.c_str(), 0640);
    CHECK(kiln::readable_by_others(file, "the secrets of app") ==
          "'" + file.string() + "' (the secrets of app) can be read by other users (mode 0640); fix: chmod 600 '" +
              file.string() + "'");
    ::chmod(file.c_str(), 0600);
    CHECK_FALSE(kiln::readable_by_others(file, "the secrets of app"));
    CHECK_FALSE(kiln::readable_by_others(dir / "missing", "the secrets of app"));
}

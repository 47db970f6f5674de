#include <catch2/catch.hpp>

#include "doctor/disk_space.h"

using kiln::doctor::DiskSpace;
using kiln::doctor::disk_low;

TEST_CASE("a disk is low under 1 GiB or 5% free", "[doctor]") {
    constexpr std::uint64_t kGiB = 1024ULL * 1024 * 1024;
    CHECK(disk_low(DiskSpace{kGiB - 1, 10 * kGiB}));
    CHECK_FALSE(disk_low(DiskSpace{kGiB, 10 * kGiB}));
    CHECK(disk_low(DiskSpace{4 * kGiB, 100 * kGiB}));
    CHECK_FALSE(disk_low(DiskSpace{5 * kGiB, 100 * kGiB}));
    CHECK(disk_low(DiskSpace{0, 0}));
    CHECK(kiln::doctor::describe_space(DiskSpace{59'000'000'000, 252'000'000'000}) == "59GB free of 252GB (23%)");
}

TEST_CASE("the space of a path that does not exist cannot be read", "[doctor]") {
    CHECK_FALSE(kiln::doctor::disk_space("/nonexistent/kiln-doctor"));
    CHECK(kiln::doctor::disk_space("/"));
}

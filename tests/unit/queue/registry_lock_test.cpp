#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "queue/registry_lock.h"
#include "tests/support/temp_dir.h"

using kiln::queue::RegistryLock;
using namespace std::chrono_literals;

namespace {

RegistryLock::Wait no_wait() {
    RegistryLock::Wait wait;
    wait.deadline = std::chrono::steady_clock::now();
    return wait;
}

}  // namespace

TEST_CASE("builds share the registry lock; a gc has it alone", "[registry_lock]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    using Mode = RegistryLock::Mode;
    {
        auto first = RegistryLock::acquire(layout, Mode::shared, no_wait());
        auto second = RegistryLock::acquire(layout, Mode::shared, no_wait());
        REQUIRE(first);
        REQUIRE(second);
        int waits = 0;
        RegistryLock::Wait wait = no_wait();
        wait.on_wait = [&] { ++waits; };
        CHECK_FALSE(RegistryLock::acquire(layout, Mode::exclusive, wait));
        CHECK(waits == 1);
    }
    auto gc = RegistryLock::acquire(layout, Mode::exclusive, no_wait());
    REQUIRE(gc);
    bool told = false;
    RegistryLock::Wait wait = no_wait();
    wait.on_wait = [&] { told = true; };
    CHECK_FALSE(RegistryLock::acquire(layout, Mode::shared, wait));
    CHECK(told);
    CHECK_FALSE(RegistryLock::acquire(layout, Mode::exclusive, no_wait()));
    gc.reset();
    CHECK(RegistryLock::acquire(layout, Mode::shared, no_wait()));
}

TEST_CASE("a build waiting for the registry lock stops when cancelled", "[registry_lock]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir.path());
    auto gc = RegistryLock::acquire(layout, RegistryLock::Mode::exclusive, {});
    REQUIRE(gc);
    int polls = 0;
    RegistryLock::Wait wait;
    wait.cancelled = [&] { return ++polls == 3; };
    CHECK_FALSE(RegistryLock::acquire(layout, RegistryLock::Mode::shared, wait));
    CHECK(polls == 3);
}

TEST_CASE("the registry lock creates no state dir", "[registry_lock]") {
    const kiln::test::TempDir dir;
    const kiln::queue::StateLayout layout(dir / "missing");
    CHECK_THROWS_WITH(RegistryLock::acquire(layout, RegistryLock::Mode::shared, {}),
                      "opening registry lock '" + (dir / "missing/registry-gc.lock").string() +
                          "': No such file or directory");
    CHECK_FALSE(std::filesystem::exists(dir / "missing"));
}

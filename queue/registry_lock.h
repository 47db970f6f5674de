#pragma once

// The registry lock: builds push to the registry while `kiln image gc` must
// have it to itself (garbage-collect deletes blobs a push in flight would
// still reference). Two flocks under the state dir:
//
//   registry.lock     shared by every build from before make until its image
//                     step ends; exclusive for a gc
//   registry-gc.lock  exclusive for a gc from before it waits for the builds
//                     until it ends; a build takes it shared for an instant
//
// The second one gives a waiting gc its turn: flock has no queue, so without
// it builds that keep starting would hold registry.lock shared forever. The
// kernel drops both when their holder dies, however it dies.

#include <chrono>
#include <functional>
#include <optional>

#include "common/posix.h"
#include "queue/state_layout.h"

namespace kiln::queue {

class RegistryLock {
public:
    enum class Mode { shared, exclusive };

    /// When to stop waiting: `deadline`, or `cancelled()` turning true (both
    /// polled); `on_wait` is called once, when the lock is not free at once.
    struct Wait {
        std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
        std::function<bool()> cancelled;
        std::function<void()> on_wait;
    };

    /// Waits for the lock in `mode`; nothing when the wait ended first. A build
    /// (shared) waits only for a gc; a gc (exclusive) first for another gc, then
    /// for the builds holding it. Opens the files read-only (creating them mode
    /// 0644), so a gc run by root and builds run by the build user share them.
    /// Throws StateError (a missing state dir included: this creates no dirs).
    static std::optional<RegistryLock> acquire(const StateLayout& layout, Mode mode, const Wait& wait);

private:
    RegistryLock(UniqueFd lock, UniqueFd turn) : lock_(std::move(lock)), turn_(std::move(turn)) {}
    UniqueFd lock_;
    UniqueFd turn_;  // held by a gc only
};

}  // namespace kiln::queue

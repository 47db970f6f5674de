#pragma once

// A watchdog for one HTTP exchange. httplib's read and write timeouts restart
// with every byte, so a peer that trickles a byte a second keeps a request
// alive forever; this thread ends it at a wall-clock deadline (or when the
// caller's cancel check says so) by calling `stop`, which shuts the socket and
// makes httplib return with an error. Private to registry-client/.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace kiln::registry::detail {

class RequestGuard {
public:
    using Clock = std::chrono::steady_clock;
    enum class Fired { no, deadline, cancelled };

    /// Starts watching. `cancelled` may be empty; it is polled about every
    /// 100 ms from the guard's thread, so it must be thread-safe. `stop` is
    /// called at most once, from the guard's thread.
    RequestGuard(Clock::time_point deadline, std::function<bool()> cancelled, std::function<void()> stop);
    /// Disarms and joins; `stop` is never called after this returns.
    ~RequestGuard();
    RequestGuard(const RequestGuard&) = delete;
    RequestGuard& operator=(const RequestGuard&) = delete;

    /// Moves the deadline (an upload earns time as it sends).
    void set_deadline(Clock::time_point deadline);
    /// Why the guard stopped the exchange, if it did.
    Fired fired() const;

private:
    void watch();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    Clock::time_point deadline_;
    std::function<bool()> cancelled_;
    std::function<void()> stop_;
    bool done_ = false;
    Fired fired_ = Fired::no;
    std::thread thread_;
};

}  // namespace kiln::registry::detail

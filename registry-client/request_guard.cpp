#include "registry-client/request_guard.h"

#include <algorithm>

namespace kiln::registry::detail {
namespace {

constexpr std::chrono::milliseconds kCancelPoll{100};

}  // namespace

RequestGuard::RequestGuard(Clock::time_point deadline, std::function<bool()> cancelled, std::function<void()> stop)
    : deadline_(deadline), cancelled_(std::move(cancelled)), stop_(std::move(stop)), thread_([this] { watch(); }) {}

RequestGuard::~RequestGuard() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void RequestGuard::set_deadline(Clock::time_point deadline) {
    {
        std::lock_guard lock(mutex_);
        deadline_ = deadline;
    }
    wake_.notify_all();
}

RequestGuard::Fired RequestGuard::fired() const {
    std::lock_guard lock(mutex_);
    return fired_;
}

void RequestGuard::watch() {
    std::unique_lock lock(mutex_);
    while (!done_) {
        Fired why = Fired::no;
        if (cancelled_ && cancelled_()) {
            why = Fired::cancelled;
        } else if (Clock::now() >= deadline_) {
            why = Fired::deadline;
        }
        if (why != Fired::no) {
            fired_ = why;
            // Under the lock, so the destructor cannot return while the exchange is being stopped.
            stop_();
            return;
        }
        Clock::time_point until = deadline_;
        if (cancelled_) {
            until = std::min(until, Clock::now() + kCancelPoll);
        }
        wake_.wait_until(lock, until);
    }
}

}  // namespace kiln::registry::detail

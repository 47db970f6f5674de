#include "runner/gc_schedule.h"

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "registry-gc/registry_gc.h"
#include "runner/registry_options.h"

namespace kiln::runner {

GcSchedule::GcSchedule(const config::Config& config)
    : config_(config),
      next_scheduled_(config.registry.gc.every.count() == 0
                          ? std::chrono::steady_clock::time_point::max()
                          : std::chrono::steady_clock::now() + config.registry.gc.every),
      thread_([this] { run(); }) {}

GcSchedule::~GcSchedule() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

bool GcSchedule::wanted(const config::Config& config) {
    return config.registry.gc.after_prune || config.registry.gc.every.count() != 0;
}

void GcSchedule::after_prune() {
    if (!config_.registry.gc.after_prune) {
        return;
    }
    {
        const std::lock_guard lock(mutex_);
        requested_ = true;
    }
    changed_.notify_all();
}

void GcSchedule::drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stopping_ || (!requested_ && !running_); });
}

void GcSchedule::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto due = [this] {
            return stopping_ || requested_ || std::chrono::steady_clock::now() >= next_scheduled_;
        };
        if (next_scheduled_ == std::chrono::steady_clock::time_point::max()) {
            changed_.wait(lock, due);
        } else {
            changed_.wait_until(lock, next_scheduled_, due);
        }
        if (stopping_) {
            return;
        }
        const bool scheduled = std::chrono::steady_clock::now() >= next_scheduled_;
        if (scheduled) {
            next_scheduled_ = std::chrono::steady_clock::now() + config_.registry.gc.every;
        }
        requested_ = false;
        running_ = true;
        lock.unlock();
        collect(scheduled ? "every" : "after_prune");
        lock.lock();
        running_ = false;
        changed_.notify_all();
    }
}

void GcSchedule::collect(const std::string& why) {
    registry_gc::GcOptions options;
    options.delete_untagged = config_.registry.gc.delete_untagged;
    // Running builds get as long as a build may take to finish their pushes.
    options.wait = config_.runner.timeout;
    options.stop_requested = [this] {
        const std::lock_guard lock(mutex_);
        return stopping_;
    };
    options.progress = [&why](const std::string& line) { spdlog::info("gc why={} status=\"{}\"", why, line); };
    spdlog::info("gc why={} status=started", why);
    try {
        const registry_gc::GcResult result =
            registry_gc::collect_garbage(config_, registry_options(config_.registry), options);
        spdlog::info("gc why={} freed={} before={} after={}", why,
                     result.before > result.after ? result.before - result.after : 0, result.before, result.after);
    } catch (const std::exception& error) {
        spdlog::error("gc why={} problem=\"{}\"", why, error.what());
    }
}

}  // namespace kiln::runner

#pragma once

// The runner's own registry garbage collections (registry.gc.after_prune and
// registry.gc.every): on a thread of their own, off the build slots. A
// collection waits for the registry lock like `kiln image gc`, so builds
// running meanwhile finish their pushes first and builds starting meanwhile
// wait for it. Each one logs a `gc freed=...` or `gc problem=...` line.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"

namespace kiln::runner {

class GcSchedule {
public:
    /// Starts the thread; a collection every `gc.every` (none when 0).
    explicit GcSchedule(const config::Config& config);
    /// Asks a running collection to stop after its step (the registry is put
    /// back as it was), then joins.
    ~GcSchedule();
    GcSchedule(const GcSchedule&) = delete;
    GcSchedule& operator=(const GcSchedule&) = delete;

    /// True when the config asks the runner for any collection.
    static bool wanted(const config::Config& config);

    /// A build's image.keep deleted images: one collection soon
    /// (registry.gc.after_prune), however many builds ask meanwhile.
    void after_prune();
    /// Blocks until no collection is asked for or running (`kiln runner --once`).
    void drain();

private:
    void run();
    void collect(const std::string& why);

    const config::Config& config_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool requested_ = false;
    bool running_ = false;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point next_scheduled_;
    std::thread thread_;  // last: started once the rest exists
};

}  // namespace kiln::runner

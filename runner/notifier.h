#pragma once

// The notify POSTs of final builds (`notify:` in .kiln.yml), sent off the
// build slots: a build ends, its record asks for notifications (notify/, see
// record_life.h), and one thread of the runner sends them, each POST with a
// deadline of its own, so a slow or hostile URL delays only other
// notifications, never a build.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "config/config.h"
#include "queue/state_layout.h"

namespace kiln::runner {

/// Sends the notifications of every final build waiting in notify/: POSTs its
/// build.json, with the repo's secrets masked, to each notify URL of the
/// .kiln.yml at its sha (a `url_secret:` entry's URL is read from the repo's
/// secrets file now, and recorded by its key name), records how each
/// went in build.json (`notify`), writes a `[kiln]` line to the build's log
/// for each that failed (the URL without its query, which may hold a token),
/// and removes the request. A build not final yet is left for later. Stops
/// between two POSTs once stop() is true. Returns how many requests it
/// handled and removed. Throws StateError when notify/ cannot be read.
int send_pending_notifications(const config::Config& config, const std::function<bool()>& stop);

/// A thread that runs send_pending_notifications whenever woken (and every
/// `rescan` besides), until destroyed.
class Notifier {
public:
    Notifier(const config::Config& config, std::chrono::milliseconds rescan);
    /// Stops after the POST under way (each has a deadline) and joins.
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    /// Looks at notify/ again soon.
    void wake();
    /// Blocks until a pass finds nothing left to send (`kiln runner --once`).
    void drain();

private:
    void run();

    const config::Config& config_;
    std::chrono::milliseconds rescan_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool woken_ = false;
    bool idle_ = false;  ///< the last pass handled nothing and nobody woke us since
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace kiln::runner

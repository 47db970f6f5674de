#pragma once

// `kiln watch`, for deploy hosts: polls a tag's digest and runs an action
// each time it changes; optionally listens for a build's notify POST to check
// at once, checks the deploy's health (reverting an unhealthy one) and reports
// each deploy.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "deploy/deploy_report.h"
#include "deploy/health_check.h"
#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::registry {

struct WatchOptions {
    std::chrono::milliseconds interval{std::chrono::seconds(10)};
    bool now = false;        ///< also act on the digest found at start
    bool once = false;       ///< exit after the first check
    std::string listen;      ///< `HOST:PORT` for POST /hook; empty: no listener
    std::string token;       ///< required on /hook as `Authorization: Bearer T` or `?token=T`
    std::string health_url;  ///< GET after each deploy that exits 0; empty: no health check
    HealthOptions health;    ///< the window and pace of that check
};

/// The token in `file` (`kiln watch --token-file`): its first line, without
/// the blanks around it, so it never shows in `ps` as --token would. Logs a
/// warning with the chmod that fixes it when other users can read the file.
/// Throws UsageError when the file cannot be read or its first line is empty.
std::string read_token_file(const std::filesystem::path& file);

/// Acts on a new digest: `image` is `host/name@digest`. Returns an exit status
/// for the log.
using WatchAction = std::function<int(const std::string& image, const std::string& digest)>;

/// Told of each deploy and each revert (`--report`), in the watcher's thread;
/// it must bound its own time.
using DeployReporter = std::function<void(const DeployEvent& event)>;

/// The poll loop. Runs one action at a time, in the calling thread. Logs to
/// spdlog as `watch key=value ...`. A registry failure of any kind is logged
/// (again only when the error changes) and ridden out; checks back off from
/// the interval, doubling, to 60 s (or the interval, if longer), and return to
/// the interval once the registry answers. Each check is bounded by the
/// client's request_timeout. The listener (detail::HookListener) judges the
/// token from the headers before reading any body, refuses bodies over
/// 64 KiB and headers over 8 KiB, and gives each connection 10 s in all.
///
/// With a health URL, a deploy that exits 0 is checked (check_health); when
/// the window passes without a 2xx, the action runs again with the digest
/// that ran before (the last one deployed healthily, or the baseline), unless
/// there is none (a first deploy with `now`). The bad digest stays the known
/// one, so it is not retried until the tag names another.
class Watcher {
public:
    Watcher(Client& client, Reference ref, WatchOptions options, WatchAction action, DeployReporter report = {});
    ~Watcher();
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;

    /// Binds the listener when `options.listen` is set; returns its port (0
    /// without one). Throws UsageError for a bad address or kiln::Error when it
    /// cannot bind.
    int start_listener();
    /// Loops until stop(); with `once`, returns after the first check. Throws
    /// (RegistryError) only with `once`: the check is the whole job then.
    void run();
    /// Thread-safe: ends run() after the current action; a health check under
    /// way ends at once, without a revert or a report.
    void stop();
    /// Thread-safe: makes run() check now instead of at the next interval.
    void notify();

private:
    void check(bool& first);
    void deploy(const std::string& digest);
    int run_action(const std::string& digest, const char* key);   ///< logged as `KEY=done|failed`
    void report(const std::string& digest, releases::DeployStatus status, int exit);
    std::chrono::milliseconds delay() const;   ///< until the next check, backed off while failing
    void wait();
    bool stopping();   ///< thread-safe: stop() was called

    Client& client_;
    Reference ref_;
    WatchOptions options_;
    WatchAction action_;
    DeployReporter report_;
    std::string known_;          ///< digest last acted on or taken as the baseline
    std::string good_;           ///< digest that runs healthily: the baseline or the last healthy deploy
    int failures_ = 0;           ///< checks failed in a row
    std::string last_error_;     ///< logged already, so a long outage is one line
    bool missing_logged_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool notified_ = false;
    bool stopped_ = false;
    struct Listener;
    std::unique_ptr<Listener> listener_;
};

}  // namespace kiln::registry

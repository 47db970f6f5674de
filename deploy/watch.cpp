#include "deploy/watch.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_modes.h"
#include "common/text.h"
#include "deploy/hook_listener.h"

namespace kiln::registry {
namespace {

// While the registry misbehaves, checks back off to this (or the interval, if longer).
constexpr std::chrono::milliseconds kMaxOutageDelay{std::chrono::seconds(60)};

// Compares without an early exit, so response times do not leak the token.
bool same_token(const std::string& given, const std::string& expected) {
    unsigned difference = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i) {
        difference |= static_cast<unsigned>(given[i] ^ expected[i % std::max<std::size_t>(expected.size(), 1)]);
    }
    return difference == 0 && !expected.empty();
}

}  // namespace

std::string read_token_file(const std::filesystem::path& file) {
    std::string text;
    try {
        text = read_file(file);
    } catch (const Error& error) {
        throw UsageError(describe("reading --token-file '" + file.string() + "'", error.what()));
    }
    const std::string token(trim(text.substr(0, text.find('\n'))));
    if (token.empty()) {
        throw UsageError(describe("reading --token-file '" + file.string() + "'",
                                  "its first line is empty; write the token there"));
    }
    if (const std::optional<std::string> problem = readable_by_others(file, "the --token-file")) {
        spdlog::warn("watch problem=\"{}\"", *problem);
    }
    return token;
}

struct Watcher::Listener {
    detail::HookListener hook;
};

Watcher::Watcher(Client& client, Reference ref, WatchOptions options, WatchAction action, DeployReporter report)
    : client_(client),
      ref_(std::move(ref)),
      options_(std::move(options)),
      action_(std::move(action)),
      report_(std::move(report)) {}

Watcher::~Watcher() = default;

int Watcher::start_listener() {
    if (options_.listen.empty()) {
        return 0;
    }
    std::string doing = "listening on " + options_.listen;
    std::size_t colon = options_.listen.rfind(':');
    if (colon == std::string::npos) {
        throw UsageError(describe(doing, "expected HOST:PORT, e.g. 0.0.0.0:9000"));
    }
    std::string host = options_.listen.substr(0, colon);
    if (host.empty()) {
        host = "0.0.0.0";
    }
    int port = 0;
    try {
        port = std::stoi(options_.listen.substr(colon + 1));
    } catch (const std::exception&) {
        throw UsageError(describe(doing, "bad port '" + options_.listen.substr(colon + 1) + "'"));
    }
    if (options_.token.empty()) {
        throw UsageError(describe(doing, "--listen needs --token, so that only your builds can trigger a check"));
    }
    auto judge = [this](const std::string& token, const std::string& remote) {
        if (!same_token(token, options_.token)) {
            spdlog::warn("watch hook=refused from={}", remote);
            return false;
        }
        return true;
    };
    auto accepted = [this](const std::string& remote) {
        spdlog::info("watch hook=accepted from={}", remote);
        notify();
    };
    listener_.reset(new Listener{detail::HookListener(host, port, judge, accepted)});
    const int bound = listener_->hook.port();
    spdlog::info("watch listen={}:{} path=/hook", host, bound);
    return bound;
}

void Watcher::run() {
    spdlog::info("watch image={} interval={}ms now={}", ref_.str(), options_.interval.count(), options_.now);
    bool first = true;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopped_) {
                return;
            }
            notified_ = false;
        }
        check(first);
        if (options_.once) {
            return;
        }
        wait();
    }
}

void Watcher::check(bool& first) {
    ManifestCheck result;
    try {
        result = client_.check_manifest(ref_.name, ref_.reference(), known_);
    } catch (const std::exception& error) {
        // Whatever the registry does (hangs, floods, garbage), a long-running
        // watch logs it and checks again later; only --once reports it.
        if (options_.once) {
            throw;
        }
        ++failures_;
        if (error.what() != last_error_) {
            spdlog::warn("watch status=unreachable error=\"{}\" retry_in={}ms", error.what(), delay().count());
            last_error_ = error.what();
        }
        return;
    }
    if (failures_ > 0) {
        spdlog::info("watch status=reachable");
        failures_ = 0;
        last_error_.clear();
    }
    bool was_first = first;
    first = false;
    if (result.state == ManifestCheck::State::missing) {
        if (!missing_logged_) {
            spdlog::warn("watch image={} status=missing (waiting for it to be pushed)", ref_.str());
            missing_logged_ = true;
        }
        return;
    }
    missing_logged_ = false;
    if (result.state == ManifestCheck::State::unchanged) {
        spdlog::debug("watch image={} status=unchanged digest={}", ref_.str(), known_);
        return;
    }
    known_ = result.digest;
    if (was_first && !options_.now) {
        good_ = known_;
        spdlog::info("watch image={} status=baseline digest={}", ref_.str(), known_);
        return;
    }
    spdlog::info("watch image={} status=changed digest={} action=run", ref_.str(), known_);
    deploy(known_);
}

void Watcher::deploy(const std::string& digest) {
    const int status = run_action(digest, "action");
    if (status != 0) {
        // The digest still counts as handled: rerunning a failing deploy every
        // interval would hammer the host. A new push triggers the next run.
        report(digest, releases::DeployStatus::failed, status);
        return;
    }
    if (options_.health_url.empty()) {
        good_ = digest;
        report(digest, releases::DeployStatus::deployed, 0);
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    const HealthResult health = check_health(options_.health_url, options_.health, [this] { return stopping(); });
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (!health.healthy && stopping()) {
        // Cut short by stop(), the check judged nothing: no revert, no report.
        spdlog::info("watch digest={} health=stopped attempts={} ms={}", digest, health.attempts, elapsed.count());
        return;
    }
    if (health.healthy) {
        spdlog::info("watch digest={} health=ok attempts={} ms={}", digest, health.attempts, elapsed.count());
        good_ = digest;
        report(digest, releases::DeployStatus::deployed, 0);
        return;
    }
    spdlog::warn("watch digest={} health=unhealthy attempts={} ms={} error=\"{}\" revert_to={}", digest, health.attempts,
                 elapsed.count(), health.last_problem, good_.empty() ? "none" : good_);
    report(digest, releases::DeployStatus::unhealthy, 0);
    if (good_.empty()) {
        return;   // a first deploy has nothing that ran before it
    }
    report(good_, releases::DeployStatus::reverted, run_action(good_, "revert"));
}

int Watcher::run_action(const std::string& digest, const char* key) {
    const std::string image = ref_.host + "/" + ref_.name + "@" + digest;
    const auto started = std::chrono::steady_clock::now();
    const int status = action_(image, digest);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (status == 0) {
        spdlog::info("watch digest={} {}=done exit=0 ms={}", digest, key, elapsed.count());
    } else {
        spdlog::warn("watch digest={} {}=failed exit={} ms={}", digest, key, status, elapsed.count());
    }
    return status;
}

void Watcher::report(const std::string& digest, releases::DeployStatus status, int exit) {
    if (report_) {
        report_(DeployEvent{ref_.name, digest, status, exit});
    }
}

std::chrono::milliseconds Watcher::delay() const {
    std::chrono::milliseconds delay = options_.interval;
    const std::chrono::milliseconds cap = std::max(options_.interval, kMaxOutageDelay);
    for (int i = 1; i < failures_ && delay < cap; ++i) {
        delay *= 2;
    }
    return std::min(delay, cap);
}

void Watcher::wait() {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay(), [this] { return notified_ || stopped_; });
}

bool Watcher::stopping() {
    std::lock_guard lock(mutex_);
    return stopped_;
}

void Watcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    wake_.notify_all();
}

void Watcher::notify() {
    {
        std::lock_guard lock(mutex_);
        notified_ = true;
    }
    wake_.notify_all();
}

}  // namespace kiln::registry

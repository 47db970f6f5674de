#include "runner/notifier.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/names.h"
#include "config/repo_config_source.h"
#include "deploy/notify.h"
#include "queue/build_log.h"
#include "queue/build_record.h"
#include "queue/record_life.h"
#include "runner/secrets.h"

namespace kiln::runner {
namespace {

// A notify URL may carry a secret (`?token=...`, as kiln watch --listen takes
// it); logs and records show it without its query.
std::string loggable(const std::string& url) {
    return url.substr(0, url.find('?'));
}

std::vector<config::NotifyConfig> notify_targets(const config::Config& config, const queue::BuildRecord& record) {
    try {
        return config::load_repo_config(bare_repo_path(config.git_root, record.id.repo), record.id.sha, config.defaults)
            .notify;
    } catch (const Error& error) {
        // The build itself already said what is wrong with its .kiln.yml (or
        // its repository is gone); the defaults still apply.
        spdlog::debug("build={} notify=defaults why=\"{}\"", record.id.label(), error.what());
        return config.defaults.notify;
    }
}

// The URL of a `url_secret:` entry: its key's value in the repo's secrets
// file, read once per build (`cache`). Nothing when the key is missing or the
// file cannot be read (the build's own log said why).
std::optional<std::string> secret_url(const config::Config& config, const std::string& repo,
                                      const config::NotifyConfig& target,
                                      std::optional<std::map<std::string, std::string>>& cache) {
    if (!cache) {
        try {
            cache = load_secrets(config.secrets_dir, repo);
        } catch (const Error& error) {
            spdlog::warn("repo={} problem=\"reading its secrets for notify: {}\"", repo, error.what());
            cache.emplace();
        }
    }
    const auto found = cache->find(target.url_secret);
    if (found == cache->end() || found->second.empty()) {
        return std::nullopt;
    }
    return found->second;
}

// Returns true when the request is done with (and removed).
bool send_one(const config::Config& config, const queue::StateLayout& layout, const queue::NotifyRequest& request,
              const std::function<bool()>& stop) {
    std::optional<queue::BuildRecord> record = find_record(layout, request.repo, request.number);
    if (!record) {
        remove_notify_request(layout, request);
        return true;
    }
    if (!is_final(record->status)) {
        return false;  // its final record is not written yet (a full disk): later
    }
    const std::vector<config::NotifyConfig> targets = notify_targets(config, *record);
    // The record was masked when it turned final; the secrets file may have
    // changed since, and the body goes to another host: mask it again.
    const SecretMask secrets = secret_mask_of(config.secrets_dir, record->id.repo);
    const std::string body = to_json(masked_record(*record, secrets)).dump();
    std::optional<std::map<std::string, std::string>> secret_values;
    std::vector<queue::NotifyDelivery> deliveries;
    for (const config::NotifyConfig& target : targets) {
        if (stop()) {
            return false;  // the request stays for the next runner
        }
        queue::NotifyDelivery delivery;
        if (target.url_secret.empty()) {
            delivery = {loggable(target.url), registry::post_json(target.url, body).value_or("")};
        } else {
            // Named by its key: the whole URL is the secret.
            delivery.url = "url_secret " + target.url_secret;
            const std::optional<std::string> url = secret_url(config, record->id.repo, target, secret_values);
            delivery.error = !url ? "no key '" + target.url_secret + "' in " +
                                        secrets_file(config.secrets_dir, record->id.repo).string()
                                  : registry::post_json(*url, body).value_or("");
        }
        delivery.error = secrets.apply(delivery.error);
        if (delivery.error.empty()) {
            spdlog::info("build={} notify={} status=sent", record->id.label(), delivery.url);
        } else {
            spdlog::warn("build={} notify={} error=\"{}\"", record->id.label(), delivery.url, delivery.error);
        }
        deliveries.push_back(std::move(delivery));
    }
    if (!deliveries.empty()) {
        queue::BuildLog log(layout.log_file(record->id.repo, record->id.number), std::numeric_limits<std::uint64_t>::max());
        log.add_secrets(secrets);
        for (const queue::NotifyDelivery& delivery : deliveries) {
            if (!delivery.error.empty()) {
                log.kiln("notify " + delivery.url + " failed: " + delivery.error);
            }
        }
        record_notified(layout, record->id, deliveries);
    }
    remove_notify_request(layout, request);
    return true;
}

}  // namespace

int send_pending_notifications(const config::Config& config, const std::function<bool()>& stop) {
    const queue::StateLayout layout(config.state_dir);
    int handled = 0;
    for (const queue::NotifyRequest& request : pending_notifications(layout)) {
        if (stop()) {
            break;
        }
        try {
            handled += send_one(config, layout, request, stop) ? 1 : 0;
        } catch (const Error& error) {
            spdlog::error("build={}#{} problem=\"sending notifications: {}\"", request.repo, request.number,
                          error.what());
        }
    }
    return handled;
}

Notifier::Notifier(const config::Config& config, std::chrono::milliseconds rescan)
    : config_(config), rescan_(rescan), thread_([this] { run(); }) {}

Notifier::~Notifier() {
    stop_ = true;
    changed_.notify_all();
    thread_.join();
}

void Notifier::wake() {
    const std::lock_guard lock(mutex_);
    woken_ = true;
    idle_ = false;
    changed_.notify_all();
}

void Notifier::drain() {
    wake();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return idle_ || stop_; });
}

void Notifier::run() {
    const std::function<bool()> stop = [this] { return stop_.load(); };
    while (!stop_) {
        int handled = 0;
        try {
            handled = send_pending_notifications(config_, stop);
        } catch (const Error& error) {
            spdlog::error("event=notify_failed problem=\"{}\"", error.what());
        }
        if (handled > 0) {
            continue;  // more may have arrived meanwhile
        }
        std::unique_lock lock(mutex_);
        if (!woken_) {
            idle_ = true;
            changed_.notify_all();
        }
        changed_.wait_for(lock, rescan_, [this] { return woken_ || stop_; });
        woken_ = false;
    }
}

}  // namespace kiln::runner

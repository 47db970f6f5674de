#include "runner/notifier.h"

#include <cstdint>
#include <limits>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "queue/build_log.h"
#include "queue/build_record.h"
#include "queue/record_life.h"
#include "runner/notify_targets.h"
#include "runner/secrets.h"

namespace kiln::runner {
namespace {

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
    const std::vector<NotifyTarget> targets = notify_targets(config, record->id.repo, record->id.sha);
    // The record was masked when it turned final; the secrets file may have
    // changed since, and the body goes to another host: mask it again.
    const SecretMask secrets = secret_mask_of(config.secrets_dir, record->id.repo);
    const std::string body = to_json(masked_record(*record, secrets)).dump();
    std::vector<queue::NotifyDelivery> deliveries;
    for (const NotifyTarget& target : targets) {
        if (stop()) {
            return false;  // the request stays for the next runner
        }
        queue::NotifyDelivery delivery = deliver(target, body);
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

#include "runner/notifications.h"

#include <spdlog/spdlog.h>

#include "registry-client/notify.h"

namespace kiln::runner {
namespace {

// A notify URL may carry a secret (`?token=...`, as kiln watch --listen takes
// it); the daemon's log shows it without its query.
std::string loggable(const std::string& url) {
    return url.substr(0, url.find('?'));
}

}  // namespace

void send_notifications(const std::vector<config::NotifyConfig>& targets, const BuildRecord& record) {
    if (targets.empty()) {
        return;
    }
    const std::string body = to_json(record).dump();
    for (const config::NotifyConfig& target : targets) {
        if (const std::optional<std::string> problem = registry::post_json(target.url, body)) {
            spdlog::warn("build={} notify={} error=\"{}\"", record.label(), loggable(target.url), *problem);
        } else {
            spdlog::info("build={} notify={} status=sent", record.label(), loggable(target.url));
        }
    }
}

}  // namespace kiln::runner

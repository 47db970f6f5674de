#pragma once

// The URLs a repository's `notify:` entries name, resolved: what the runner
// POSTs each final build to, and what `kiln rollback` POSTs at once so deploy
// hosts need not wait for their next poll.

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "queue/build_record.h"

namespace kiln::runner {

struct NotifyTarget {
    /// What logs and records show: the URL without its query (which may hold
    /// a token), or `url_secret KEY`, since then the whole URL is the secret.
    std::string label;
    std::optional<std::string> url;  ///< nothing when a url_secret key has no value
    std::string problem;             ///< why there is no url
};

/// The notify entries of the .kiln.yml at `sha` in `repo` (the global
/// defaults when it cannot be read: the build already said why), with each
/// `url_secret:` read from the repo's secrets file now.
std::vector<NotifyTarget> notify_targets(const config::Config& config, const std::string& repo, const std::string& sha);

/// POSTs `json` to `target` (deploy/notify.h post_json: bounded, the reply
/// unread). The delivery's error is empty on a 2xx reply.
queue::NotifyDelivery deliver(const NotifyTarget& target, const std::string& json);

}  // namespace kiln::runner

#include "runner/notify_targets.h"

#include <map>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/names.h"
#include "config/repo_config_source.h"
#include "deploy/notify.h"
#include "runner/secrets.h"

namespace kiln::runner {
namespace {

std::string without_query(const std::string& url) {
    return url.substr(0, url.find('?'));
}

std::vector<config::NotifyConfig> configured(const config::Config& config, const std::string& repo,
                                             const std::string& sha) {
    try {
        return config::load_repo_config(bare_repo_path(config.git_root, repo), sha, config.defaults).notify;
    } catch (const Error& error) {
        spdlog::debug("repo={} sha={} notify=defaults why=\"{}\"", repo, sha, error.what());
        return config.defaults.notify;
    }
}

}  // namespace

std::vector<NotifyTarget> notify_targets(const config::Config& config, const std::string& repo, const std::string& sha) {
    std::vector<NotifyTarget> targets;
    std::optional<std::map<std::string, std::string>> secrets;
    for (const config::NotifyConfig& entry : configured(config, repo, sha)) {
        NotifyTarget target;
        if (entry.url_secret.empty()) {
            target.label = without_query(entry.url);
            target.url = entry.url;
            targets.push_back(std::move(target));
            continue;
        }
        target.label = "url_secret " + entry.url_secret;
        if (!secrets) {
            try {
                secrets = load_secrets(config.secrets_dir, repo);
            } catch (const Error& error) {
                spdlog::warn("repo={} problem=\"reading its secrets for notify: {}\"", repo, error.what());
                secrets.emplace();
            }
        }
        const auto found = secrets->find(entry.url_secret);
        if (found == secrets->end() || found->second.empty()) {
            target.problem = "no key '" + entry.url_secret + "' in " + secrets_file(config.secrets_dir, repo).string();
        } else {
            target.url = found->second;
        }
        targets.push_back(std::move(target));
    }
    return targets;
}

queue::NotifyDelivery deliver(const NotifyTarget& target, const std::string& json) {
    if (!target.url) {
        return {target.label, target.problem};
    }
    return {target.label, registry::post_json(*target.url, json).value_or("")};
}

}  // namespace kiln::runner

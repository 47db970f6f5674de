#include "runner/rollback.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "registry-client/client.h"
#include "registry-client/image_tag.h"
#include "registry-client/reference.h"
#include "releases/release_history.h"
#include "releases/release_lookup.h"
#include "runner/notify_targets.h"
#include "runner/registry_options.h"
#include "runner/secrets.h"

namespace kiln::runner {
namespace {

// The tag whose digest says which release is current.
constexpr const char* kLeadTag = "latest";

std::string lead_tag(const releases::LedgerEvent& release) {
    if (release.tags.empty() || std::find(release.tags.begin(), release.tags.end(), kLeadTag) != release.tags.end()) {
        return kLeadTag;
    }
    return release.tags.front();
}

std::optional<releases::LedgerEvent> release_with_digest(const std::vector<releases::LedgerEvent>& newest_first,
                                                         const std::string& digest) {
    for (const releases::LedgerEvent& release : newest_first) {
        if (release.digest == digest) {
            return release;
        }
    }
    return std::nullopt;
}

releases::LedgerEvent previous_release(const std::vector<releases::LedgerEvent>& newest_first,
                                       const std::optional<releases::LedgerEvent>& current,
                                       const std::string& current_digest, const std::string& repo) {
    for (const releases::LedgerEvent& release : newest_first) {
        if ((!current || release.number < current->number) && release.digest != current_digest) {
            return release;
        }
    }
    throw UsageError(describe("rolling back " + repo, "no earlier release with another image to go back to (see kiln "
                                                      "releases " + repo + ")"));
}

std::string rollback_json(const std::string& repo, const RollbackResult& result) {
    return nlohmann::json{{"event", "rollback"},
                          {"repo", repo},
                          {"number", result.to.number},
                          {"sha", result.to.sha},
                          {"image", result.to.image},
                          {"digest", result.to.digest},
                          {"tags", result.tags},
                          {"from_number", result.from_number},
                          {"from_digest", result.from_digest},
                          {"by", result.to.by}}
        .dump();
}

}  // namespace

RollbackResult roll_back(const config::Config& config, const std::string& repo, const std::string& which,
                         const std::string& by) {
    const std::string doing = "rolling back " + repo;
    const queue::StateLayout layout(config.state_dir);
    const std::vector<releases::LedgerEvent> events = releases::read_ledger(layout, repo);
    const std::vector<releases::LedgerEvent> newest_first = releases::releases_newest_first(events);
    if (newest_first.empty()) {
        throw UsageError(describe(doing, "it has no releases yet (a release is a successful build that made an image)"));
    }
    const registry::Reference newest =
        registry::parse_reference(newest_first.front().image, registry::host_of_url(config.registry.url));
    registry::Client client(registry_options_for(config.registry, newest));
    const std::string lead = lead_tag(newest_first.front());

    RollbackResult result;
    result.from_digest = client.manifest_digest(newest.name, lead).value_or("");
    const std::optional<releases::LedgerEvent> current = release_with_digest(newest_first, result.from_digest);
    result.from_number = current ? current->number : 0;
    if (which.empty()) {
        result.to = previous_release(newest_first, current, result.from_digest, repo);
    } else {
        releases::ReleaseLookup lookup = releases::find_release(events, repo, which);
        if (!lookup.release) {
            throw UsageError(describe(doing, lookup.problem));
        }
        result.to = std::move(*lookup.release);
    }
    result.tags = result.to.tags.empty() ? std::vector<std::string>{kLeadTag} : result.to.tags;
    if (result.to.digest == result.from_digest) {
        result.unchanged = true;
        return result;
    }
    registry::Reference source = newest;
    source.tag.clear();
    source.digest = result.to.digest;
    for (const std::string& tag : result.tags) {
        registry::tag_image(client, source, tag);
        spdlog::info("rollback repo={} tag={} digest={}", repo, tag, result.to.digest);
    }

    releases::LedgerEvent rollback = result.to;
    rollback.kind = releases::EventKind::rollback;
    rollback.at = queue::unix_now();
    rollback.by = by;
    rollback.tags = result.tags;
    rollback.from_number = result.from_number;
    rollback.from_digest = result.from_digest;
    releases::append_event(layout, repo, rollback);
    result.to.by = by;

    const SecretMask secrets = secret_mask_of(config.secrets_dir, repo);
    const std::string body = rollback_json(repo, result);
    for (const NotifyTarget& target : notify_targets(config, repo, result.to.sha)) {
        queue::NotifyDelivery delivery = deliver(target, body);
        delivery.error = secrets.apply(delivery.error);
        result.notified.push_back(std::move(delivery));
    }
    return result;
}

}  // namespace kiln::runner

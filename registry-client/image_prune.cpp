#include "registry-client/image_prune.h"

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "registry-client/image_inspect.h"
#include "registry-client/image_list.h"

namespace kiln::registry {

bool looks_like_build_tag(const std::string& tag) {
    return tag.size() >= 7 && tag.size() <= 64 &&
           std::all_of(tag.begin(), tag.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string describe_action(PruneEntry::Action action) {
    switch (action) {
    case PruneEntry::Action::keep:
        return "keep";
    case PruneEntry::Action::keep_shared:
        return "keep (its image is also named by a kept tag)";
    case PruneEntry::Action::keep_uncounted:
        return "keep (not a counted tag)";
    case PruneEntry::Action::remove:
        return "delete";
    }
    return "";
}

PrunePlan prune_images(Client& client, const std::string& repo, const PruneOptions& options) {
    PrunePlan plan;
    plan.repo = repo;
    std::map<std::string, std::string> created_by_digest;
    for (auto& [tag, digest] : tag_digests(client, repo)) {
        if (!created_by_digest.count(digest)) {
            std::optional<Manifest> manifest = client.get_manifest(repo, digest);
            created_by_digest[digest] = manifest ? image_created(client, repo, *manifest) : "";
        }
        PruneEntry entry{tag, digest, created_by_digest[digest], PruneEntry::Action::keep};
        if (options.counts && !options.counts(tag)) {
            entry.action = PruneEntry::Action::keep_uncounted;
        }
        plan.entries.push_back(std::move(entry));
    }
    std::stable_sort(plan.entries.begin(), plan.entries.end(), [](const PruneEntry& a, const PruneEntry& b) {
        std::optional<long long> time_a = parse_rfc3339(a.created);
        std::optional<long long> time_b = parse_rfc3339(b.created);
        if (time_a.has_value() != time_b.has_value()) {
            return time_a.has_value();
        }
        if (time_a && *time_a != *time_b) {
            return *time_a > *time_b;
        }
        return a.tag > b.tag;
    });
    std::set<std::string> protected_digests;
    int counted = 0;
    for (auto& entry : plan.entries) {
        if (entry.action == PruneEntry::Action::keep_uncounted) {
            protected_digests.insert(entry.digest);
        } else if (counted < options.keep) {
            ++counted;
            protected_digests.insert(entry.digest);
        } else {
            entry.action = PruneEntry::Action::remove;
        }
    }
    std::set<std::string> doomed;
    for (auto& entry : plan.entries) {
        if (entry.action != PruneEntry::Action::remove) {
            continue;
        }
        if (protected_digests.count(entry.digest)) {
            entry.action = PruneEntry::Action::keep_shared;
        } else if (doomed.insert(entry.digest).second) {
            plan.deleted.push_back(entry.digest);
        }
    }
    if (!options.dry_run) {
        for (const auto& digest : plan.deleted) {
            spdlog::info("prune repo={} delete={}", repo, digest);
            client.delete_manifest(repo, digest);
        }
    }
    return plan;
}

}  // namespace kiln::registry

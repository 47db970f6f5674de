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
    case PruneEntry::Action::keep_protected:
        return "keep (protected: in use or a recent release)";
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
    std::set<std::string> uncounted_digests;
    std::vector<std::string> counted_digests;  // distinct, newest first
    for (const auto& entry : plan.entries) {
        if (entry.action == PruneEntry::Action::keep_uncounted) {
            uncounted_digests.insert(entry.digest);
        } else if (std::find(counted_digests.begin(), counted_digests.end(), entry.digest) == counted_digests.end()) {
            counted_digests.push_back(entry.digest);
        }
    }
    std::set<std::string> kept;
    for (const auto& digest : counted_digests) {
        if (options.protected_digests.count(digest) && static_cast<int>(kept.size()) < options.keep) {
            kept.insert(digest);
        }
    }
    for (const auto& digest : counted_digests) {
        if (static_cast<int>(kept.size()) >= options.keep) {
            break;
        }
        if (!options.protected_digests.count(digest)) {
            kept.insert(digest);
        }
    }
    std::set<std::string> doomed;
    for (auto& entry : plan.entries) {
        if (entry.action == PruneEntry::Action::keep_uncounted) {
            continue;
        }
        if (kept.count(entry.digest)) {
            entry.action = PruneEntry::Action::keep;
        } else if (options.protected_digests.count(entry.digest)) {
            entry.action = PruneEntry::Action::keep_protected;
        } else if (uncounted_digests.count(entry.digest)) {
            entry.action = PruneEntry::Action::keep_shared;
        } else {
            entry.action = PruneEntry::Action::remove;
            if (doomed.insert(entry.digest).second) {
                plan.deleted.push_back(entry.digest);
            }
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

#pragma once

// `kiln image prune` and the runner's `image.keep`: keep the newest N tags of
// a repository, delete the images only older tags name.

#include <functional>
#include <string>
#include <vector>

#include "registry-client/client.h"

namespace kiln::registry {

struct PruneOptions {
    int keep = 1;                                         ///< newest counted tags kept, >= 0
    bool dry_run = false;                                 ///< plan only, delete nothing
    /// Which tags count toward `keep` and may be deleted; the others (e.g.
    /// `latest`, branch tags) are always kept and protect their images.
    /// Empty: every tag counts.
    std::function<bool(const std::string& tag)> counts;
};

struct PruneEntry {
    enum class Action { keep, keep_shared, keep_uncounted, remove };
    std::string tag;
    std::string digest;
    std::string created;   ///< from the image config; "" when unknown
    Action action = Action::keep;
};

struct PrunePlan {
    std::string repo;
    std::vector<PruneEntry> entries;      ///< newest first
    std::vector<std::string> deleted;     ///< digests deleted (or to delete, in a dry run)
};

/// Orders the counted tags by their image's `created` time, newest first
/// (unknown times last, ties by tag name, higher first); keeps the first
/// `keep`; keeps any other tag whose digest a kept tag also names
/// (`keep_shared`), because deleting a digest removes all its tags; deletes
/// the remaining digests unless `dry_run`. Throws RegistryError.
PrunePlan prune_images(Client& client, const std::string& repo, const PruneOptions& options);

/// True for tags that look like a build's commit id: 7 to 64 lowercase hex digits.
bool looks_like_build_tag(const std::string& tag);

/// `keep`, `keep (shares sha256:… with a kept tag)`, ... for the plan listing.
std::string describe_action(PruneEntry::Action action);

}  // namespace kiln::registry

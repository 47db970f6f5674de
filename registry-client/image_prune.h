#pragma once

// `kiln image prune` and the runner's `image.keep`: keep the newest N images
// (distinct digests) of a repository, delete the images only older tags name.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "registry-client/client.h"

namespace kiln::registry {

struct PruneOptions {
    /// Newest distinct images (digests) of the counted tags kept, >= 0. Many
    /// tags on one image are one image: a run of builds that changed nothing
    /// in it must not push the last different image out.
    int keep = 1;
    bool dry_run = false;                                 ///< plan only, delete nothing
    /// Which tags count toward `keep` and may be deleted; the others (e.g.
    /// `latest`, branch tags) are always kept and protect their images.
    /// Empty: every tag counts.
    std::function<bool(const std::string& tag)> counts;
    /// Digests never deleted (this build's image, the images recent releases
    /// and running deployments name). Those that counted tags name take their
    /// places among `keep` first; the newest other images fill the rest.
    std::set<std::string> protected_digests;
};

struct PruneEntry {
    enum class Action { keep, keep_protected, keep_shared, keep_uncounted, remove };
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
/// (unknown times last, ties by tag name, higher first); keeps `keep`
/// distinct digests among them: the protected ones they name, then the
/// newest others (`keep` for every tag on a kept digest, `keep_protected` for
/// the tags of a protected digest beyond `keep`); keeps any counted tag whose
/// digest an uncounted tag also names (`keep_shared`), because deleting a
/// digest removes all its tags; deletes the remaining digests unless
/// `dry_run`. Throws RegistryError.
PrunePlan prune_images(Client& client, const std::string& repo, const PruneOptions& options);

/// True for tags that look like a build's commit id: 7 to 64 lowercase hex digits.
bool looks_like_build_tag(const std::string& tag);

/// `keep`, `keep (shares sha256:… with a kept tag)`, ... for the plan listing.
std::string describe_action(PruneEntry::Action action);

}  // namespace kiln::registry

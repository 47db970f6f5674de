#pragma once

// Questions asked of a repository's ledger (releases/ledger.h): its releases,
// what runs where, which digests retention must keep.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "releases/ledger.h"

namespace kiln::releases {

/// The release events, newest first (by build number; a rebuild of an old
/// commit is a new release with a new number).
std::vector<LedgerEvent> releases_newest_first(const std::vector<LedgerEvent>& events);

/// The last deploy report of each host whose status leaves it running the
/// reported digest (deployed, reverted), by host name.
std::map<std::string, LedgerEvent> running_by_host(const std::vector<LedgerEvent>& events);

/// The digests retention must never delete: those of the newest `releases`
/// distinct released images, and every digest a host reported running.
std::set<std::string> digests_to_keep(const std::vector<LedgerEvent>& events, int releases);

/// The release with build number `number`; nothing when there is none.
std::optional<LedgerEvent> release_numbered(const std::vector<LedgerEvent>& events, int number);

/// The repo whose releases carry images named `image_name` (the registry
/// repository, e.g. `app` for `host:5000/app:<sha>`); `image_name` itself
/// when a ledger has that name; nothing otherwise. A repository's image name
/// can differ from the repo's (image.name in .kiln.yml).
std::optional<std::string> repo_of_image(const queue::StateLayout& layout, const std::string& image_name);

/// `app` for `host:5000/app:<sha>` (and for `host:5000/team/app@sha256:...`).
std::string image_name_of(const std::string& image);

}  // namespace kiln::releases

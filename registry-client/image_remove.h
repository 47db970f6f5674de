#pragma once

#include <string>
#include <vector>

#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::registry {

struct RemoveResult {
    std::string digest;               ///< the image the reference named
    std::vector<std::string> tags;    ///< the tags removed
    /// False when only the tag was removed: the image stays, under `kept_tags`.
    bool image_deleted = true;
    std::vector<std::string> kept_tags;
};

/// `kiln image rm`. The registry deletes only by digest, and that removes
/// every tag naming the digest. So a tag whose image other tags also name is
/// removed alone (unless `all_tags`): it is pointed at a throwaway manifest
/// (untag_image), which is then deleted. A tag alone on its image, or any
/// tag with `all_tags`, deletes the image with all its tags, and so does a
/// reference by digest. Throws RegistryError when the image does not exist or
/// the registry refuses (deletion disabled).
RemoveResult remove_image(Client& client, const Reference& ref, bool all_tags);

/// Removes `tag` from `repo` and nothing else: PUTs under it an OCI manifest
/// with no layers whose config is a freshly uploaded blob no other manifest
/// has (regclient's way), then deletes that manifest by digest. The image the
/// tag named before, and its other tags, are untouched; the config blob is
/// left for garbage collection. Throws RegistryError.
void untag_image(Client& client, const std::string& repo, const std::string& tag);

}  // namespace kiln::registry

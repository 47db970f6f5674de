#pragma once

#include <string>
#include <vector>

#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::registry {

struct RemoveResult {
    std::string digest;                  ///< the manifest deleted
    std::vector<std::string> tags;       ///< every tag that named it, now gone
};

/// `kiln image rm`. The registry deletes only by digest, and that removes
/// every tag naming the digest, so a reference by tag is refused (kiln::Error,
/// explaining which tags) when other tags share its digest, unless `force`.
/// A reference by digest deletes it with all its tags. Throws RegistryError
/// when the image does not exist or the registry refuses (deletion disabled).
RemoveResult remove_image(Client& client, const Reference& ref, bool force);

}  // namespace kiln::registry

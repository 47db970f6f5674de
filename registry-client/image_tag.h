#pragma once

#include <string>

#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::registry {

/// `kiln image tag`: PUTs the manifest `source` names, byte for byte, under
/// `new_tag` in the same repository (no blob moves). Returns its digest.
/// Throws UsageError for a bad tag, RegistryError when `source` does not
/// exist or the registry refuses.
std::string tag_image(Client& client, const Reference& source, const std::string& new_tag);

}  // namespace kiln::registry

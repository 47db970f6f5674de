#pragma once

#include <string>
#include <vector>

#include "registry-client/client.h"

namespace kiln::registry {

struct RepositoryTags {
    std::string name;
    std::vector<std::string> tags;   ///< sorted, never empty
};

/// `kiln image ls`: every repository that has tags, with its tags, sorted by
/// name. Throws RegistryError.
std::vector<RepositoryTags> list_images(Client& client);

/// Groups `repo`'s tags by the digest each names (HEAD with the full Accept
/// list). Returns (tag, digest) pairs in tag order; tags that vanish while
/// listing are left out.
std::vector<std::pair<std::string, std::string>> tag_digests(Client& client, const std::string& repo);

}  // namespace kiln::registry

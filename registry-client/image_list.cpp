#include "registry-client/image_list.h"

namespace kiln::registry {

std::vector<RepositoryTags> list_images(Client& client) {
    std::vector<RepositoryTags> images;
    for (const auto& name : client.catalog()) {
        std::vector<std::string> tags = client.tags(name);
        if (!tags.empty()) {
            images.push_back(RepositoryTags{name, std::move(tags)});
        }
    }
    return images;
}

std::vector<std::pair<std::string, std::string>> tag_digests(Client& client, const std::string& repo) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& tag : client.tags(repo)) {
        if (std::optional<std::string> digest = client.manifest_digest(repo, tag)) {
            pairs.emplace_back(tag, *digest);
        }
    }
    return pairs;
}

}  // namespace kiln::registry

#include "registry-client/image_remove.h"

#include "common/error.h"
#include "common/text.h"
#include "registry-client/image_list.h"

namespace kiln::registry {

RemoveResult remove_image(Client& client, const Reference& ref, bool force) {
    std::string doing = "removing " + ref.str();
    // HEAD first even for a digest: 2.8 answers 202 to DELETE of a blob digest
    // that is not a manifest, deleting nothing useful.
    std::optional<std::string> digest = client.manifest_digest(ref.name, ref.reference());
    if (!digest) {
        throw RegistryError(describe(doing, ref.str() + " does not exist"));
    }
    RemoveResult result{*digest, {}};
    for (const auto& [tag, tag_digest] : tag_digests(client, ref.name)) {
        if (tag_digest == *digest) {
            result.tags.push_back(tag);
        }
    }
    if (!ref.tag.empty() && !force) {
        std::vector<std::string> others;
        for (const auto& tag : result.tags) {
            if (tag != ref.tag) {
                others.push_back(tag);
            }
        }
        if (!others.empty()) {
            throw Error(describe(doing, "its image " + *digest + " is also tagged " + join(others) +
                                            ", and the registry can only delete an image with all its tags; " +
                                            "pass --force to remove all of them"));
        }
    }
    client.delete_manifest(ref.name, *digest);
    return result;
}

}  // namespace kiln::registry

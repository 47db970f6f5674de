#include "registry-client/image_tag.h"

#include "common/error.h"

namespace kiln::registry {

std::string tag_image(Client& client, const Reference& source, const std::string& new_tag) {
    std::string doing = "tagging " + source.str() + " as " + new_tag;
    if (const std::optional<std::string> problem = tag_problem(new_tag)) {
        throw UsageError(describe(doing, *problem));
    }
    std::optional<Manifest> manifest = client.get_manifest(source.name, source.reference());
    if (!manifest) {
        throw RegistryError(describe(doing, source.str() + " does not exist"));
    }
    return client.put_manifest(source.name, new_tag, *manifest);
}

}  // namespace kiln::registry

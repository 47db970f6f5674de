#include "registry-client/image_remove.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "registry-client/digest.h"
#include "registry-client/image_list.h"

namespace kiln::registry {
namespace {

constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";

// Config bytes no other manifest in the registry has, so the throwaway
// manifest's digest is new and deleting it deletes nothing but it.
std::string unique_config(const std::string& tag) {
    std::random_device random;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const nlohmann::json config{
        {"architecture", "none"},
        {"os", "none"},
        {"config", {{"Labels", {{"kiln.untag", tag},
                                {"kiln.untag.nonce", std::to_string(random()) + "-" + std::to_string(random()) + "-" +
                                                         std::to_string(now.count())}}}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}}},
    };
    return config.dump();
}

}  // namespace

void untag_image(Client& client, const std::string& repo, const std::string& tag) {
    const std::string config = unique_config(tag);
    const BlobDescriptor blob{sha256_digest(config), config.size()};
    client.upload_blob(repo, blob, [&config]() -> BlobReader {
        auto offset = std::make_shared<std::size_t>(0);
        return [&config, offset](char* buffer, std::size_t capacity) {
            const std::size_t count = std::min(capacity, config.size() - *offset);
            std::copy_n(config.data() + *offset, count, buffer);
            *offset += count;
            return count;
        };
    });
    const nlohmann::json manifest{
        {"schemaVersion", 2},
        {"mediaType", kOciManifest},
        {"config", {{"mediaType", kOciConfig}, {"digest", blob.digest}, {"size", blob.size}}},
        {"layers", nlohmann::json::array()},
    };
    Manifest throwaway;
    throwaway.media_type = kOciManifest;
    throwaway.bytes = manifest.dump();
    throwaway.digest = sha256_digest(throwaway.bytes);
    client.put_manifest(repo, tag, throwaway);
    client.delete_manifest(repo, throwaway.digest);
}

RemoveResult remove_image(Client& client, const Reference& ref, bool all_tags) {
    std::string doing = "removing " + ref.str();
    // HEAD first even for a digest: 2.8 answers 202 to DELETE of a blob digest
    // that is not a manifest, deleting nothing useful.
    std::optional<std::string> digest = client.manifest_digest(ref.name, ref.reference());
    if (!digest) {
        throw RegistryError(describe(doing, ref.str() + " does not exist"));
    }
    RemoveResult result;
    result.digest = *digest;
    std::vector<std::string> all;
    for (const auto& [tag, tag_digest] : tag_digests(client, ref.name)) {
        if (tag_digest == *digest) {
            all.push_back(tag);
        }
    }
    if (!ref.tag.empty() && !all_tags) {
        for (const auto& tag : all) {
            if (tag != ref.tag) {
                result.kept_tags.push_back(tag);
            }
        }
    }
    if (!result.kept_tags.empty()) {
        untag_image(client, ref.name, ref.tag);
        result.tags = {ref.tag};
        result.image_deleted = false;
        return result;
    }
    client.delete_manifest(ref.name, *digest);
    result.tags = std::move(all);
    return result;
}

}  // namespace kiln::registry

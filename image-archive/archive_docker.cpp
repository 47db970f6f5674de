// The classic `docker save` tarball (moby image/spec v1.2): manifest.json
// names the config and the layer tars; nothing else in the archive is used.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "image-archive/archive_files.h"
#include "registry-client/client.h"
#include "registry-client/digest.h"

namespace kiln::registry::detail {
namespace {

constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
constexpr const char* kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";

const nlohmann::json& choose_entry(const ArchiveFiles& files, const nlohmann::json& entries, const std::string& select) {
    if (!entries.is_array() || entries.empty()) {
        archive_failure(files.path(), "manifest.json lists no image");
    }
    std::vector<std::string> names;
    for (const nlohmann::json& entry : entries) {
        for (const nlohmann::json& tag : entry.value("RepoTags", nlohmann::json::array())) {
            if (!tag.is_string()) {
                continue;
            }
            if (!select.empty() && name_matches(tag.get<std::string>(), select)) {
                return entry;
            }
            names.push_back(tag.get<std::string>());
        }
    }
    if (!select.empty()) {
        archive_failure(files.path(), "no image named '" + select + "' in it (it has " +
                                          (names.empty() ? std::string("no names") : join(names)) + ")");
    }
    if (entries.size() > 1) {
        archive_failure(files.path(), "it holds " + std::to_string(entries.size()) + " images (" + join(names) +
                                          "): choose one by name");
    }
    return entries.front();
}

TarMember find_named(const ArchiveFiles& files, const nlohmann::json& name, const char* what) {
    if (!name.is_string()) {
        archive_failure(files.path(), std::string("manifest.json names no ") + what);
    }
    const std::optional<TarMember> member = files.find(name.get<std::string>());
    if (!member) {
        archive_failure(files.path(),
                        std::string(what) + " '" + name.get<std::string>() + "' named in manifest.json is missing");
    }
    return *member;
}

}  // namespace

ImageArchive read_docker_save(const ArchiveFiles& files, const std::string& select) {
    nlohmann::json entries;
    try {
        entries = nlohmann::json::parse(files.read(*files.find("manifest.json")));
    } catch (const nlohmann::json::exception&) {
        archive_failure(files.path(), "manifest.json is not valid JSON");
    }
    const nlohmann::json& entry = choose_entry(files, entries, select);
    ImageArchive image;
    image.path = files.path();
    image.format = ArchiveFormat::docker_save;
    const nlohmann::json tags = entry.value("RepoTags", nlohmann::json::array());
    if (!select.empty()) {
        image.name = select;
    } else if (tags.is_array() && !tags.empty() && tags.front().is_string()) {
        image.name = tags.front().get<std::string>();
    }

    const TarMember config_member = find_named(files, entry.value("Config", nlohmann::json()), "config");
    const std::string config_bytes = files.read(config_member);
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(config_bytes);
    } catch (const nlohmann::json::exception&) {
        archive_failure(files.path(), "config '" + config_member.name + "' is not valid JSON");
    }
    // Layers are uncompressed tars, so their digests are the config's diff_ids.
    const nlohmann::json diff_ids = config.contains("rootfs") ? config["rootfs"].value("diff_ids", nlohmann::json())
                                                              : nlohmann::json();
    const nlohmann::json layers = entry.value("Layers", nlohmann::json::array());
    if (!diff_ids.is_array() || !layers.is_array() || diff_ids.size() != layers.size()) {
        archive_failure(files.path(), "manifest.json names " + std::to_string(layers.size()) +
                                          " layers but the config's rootfs.diff_ids has " +
                                          std::to_string(diff_ids.is_array() ? diff_ids.size() : 0));
    }

    nlohmann::ordered_json manifest{{"schemaVersion", 2}, {"mediaType", kDockerManifest}};
    ArchiveBlob config_blob;
    config_blob.digest = sha256_digest(config_bytes);
    config_blob.size = config_member.size;
    config_blob.media_type = kDockerConfig;
    config_blob.location = files.location(config_member);
    config_blob.config = true;
    manifest["config"] = {{"mediaType", kDockerConfig}, {"size", config_blob.size}, {"digest", config_blob.digest}};
    manifest["layers"] = nlohmann::ordered_json::array();

    ArchiveManifest result;
    result.media_type = kDockerManifest;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const TarMember member = find_named(files, layers[i], "layer");
        const std::string digest = diff_ids[i].is_string() ? diff_ids[i].get<std::string>() : std::string();
        if (!is_sha256_digest(digest)) {
            archive_failure(files.path(), "the config's diff_id '" + digest + "' is not a sha256 digest");
        }
        manifest["layers"].push_back({{"mediaType", kDockerLayer}, {"size", member.size}, {"digest", digest}});
        result.blobs.push_back(digest);
        const bool seen = std::any_of(image.blobs.begin(), image.blobs.end(),
                                      [&](const ArchiveBlob& blob) { return blob.digest == digest; });
        if (!seen) {
            image.blobs.push_back(ArchiveBlob{digest, member.size, kDockerLayer, files.location(member), false, true});
        }
    }
    result.blobs.insert(result.blobs.begin(), config_blob.digest);
    image.blobs.push_back(std::move(config_blob));
    result.bytes = manifest.dump();
    result.digest = sha256_digest(result.bytes);
    image.manifests.push_back(std::move(result));
    return image;
}

}  // namespace kiln::registry::detail

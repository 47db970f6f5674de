// OCI image layouts (directory or tar), Docker 25's `docker save` among them.

#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "image-archive/archive_files.h"
#include "registry-client/client.h"
#include "registry-client/digest.h"

namespace kiln::registry::detail {
namespace {

constexpr const char* kRefName = "org.opencontainers.image.ref.name";
constexpr const char* kContainerdName = "io.containerd.image.name";

bool is_index_type(const std::string& media_type) {
    return media_type == kOciIndex || media_type == kDockerManifestList;
}

// Layer types pushed gzipped; everything else is pushed as it is.
bool is_uncompressed_layer(const std::string& media_type) {
    return media_type == "application/vnd.oci.image.layer.v1.tar" ||
           media_type == "application/vnd.docker.image.rootfs.diff.tar" ||
           media_type == "application/vnd.oci.image.layer.nondistributable.v1.tar";
}

std::string string_field(const nlohmann::json& object, const char* key) {
    if (object.is_object() && object.contains(key) && object[key].is_string()) {
        return object[key].get<std::string>();
    }
    return {};
}

std::string annotation(const nlohmann::json& descriptor, const char* key) {
    return descriptor.is_object() && descriptor.contains("annotations") ? string_field(descriptor["annotations"], key)
                                                                        : std::string();
}

class OciReader {
public:
    OciReader(const ArchiveFiles& files, ArchiveFormat format) : files_(files) {
        image_.path = files.path();
        image_.format = format;
    }

    // Parses a JSON file of the archive, or fails naming it.
    nlohmann::json parse(const std::string& name, const std::string& bytes) const {
        try {
            return nlohmann::json::parse(bytes);
        } catch (const nlohmann::json::exception&) {
            archive_failure(files_.path(), name + " is not valid JSON");
        }
    }

    // The member a descriptor's digest names, checked against its size.
    TarMember blob_member(const nlohmann::json& descriptor) const {
        const std::string digest = string_field(descriptor, "digest");
        if (!is_sha256_digest(digest)) {
            archive_failure(files_.path(), "a manifest names a blob with an unsupported digest '" + digest + "'");
        }
        const std::string name = "blobs/sha256/" + digest.substr(7);
        const std::optional<TarMember> member = files_.find(name);
        if (!member) {
            archive_failure(files_.path(), "blob " + digest + " named by the manifest is missing (no " + name + ")");
        }
        if (!descriptor.contains("size") || !descriptor["size"].is_number_unsigned() ||
            descriptor["size"].get<std::uint64_t>() != member->size) {
            archive_failure(files_.path(), name + " is " + std::to_string(member->size) +
                                               " bytes, the manifest says " + descriptor.value("size", nlohmann::json()).dump());
        }
        return *member;
    }

    // Reads a small blob and checks it against its digest.
    std::string read_blob(const nlohmann::json& descriptor) const {
        const TarMember member = blob_member(descriptor);
        std::string bytes = files_.read(member);
        const std::string digest = string_field(descriptor, "digest");
        if (const std::string actual = sha256_digest(bytes); actual != digest) {
            archive_failure(files_.path(), member.name + " does not match its digest: the manifest says " + digest +
                                               ", the content is " + actual);
        }
        return bytes;
    }

    void add_blob(const nlohmann::json& descriptor, bool config) {
        const std::string digest = string_field(descriptor, "digest");
        if (!seen_blobs_.insert(digest).second) {
            return;
        }
        const TarMember member = blob_member(descriptor);
        ArchiveBlob blob;
        blob.digest = digest;
        blob.size = member.size;
        blob.media_type = string_field(descriptor, "mediaType");
        blob.location = files_.location(member);
        blob.config = config;
        blob.uncompressed = !config && is_uncompressed_layer(blob.media_type);
        (config ? configs_ : layers_).push_back(std::move(blob));
    }

    // Adds the manifest (or index, with its children first) a descriptor names.
    void add_manifest(const nlohmann::json& descriptor) {
        const std::string digest = string_field(descriptor, "digest");
        if (seen_manifests_.contains(digest)) {
            return;
        }
        seen_manifests_.insert(digest);
        ArchiveManifest manifest;
        manifest.digest = digest;
        manifest.bytes = read_blob(descriptor);
        const nlohmann::json document = parse("manifest " + digest, manifest.bytes);
        add_parsed(std::move(manifest), document, string_field(descriptor, "mediaType"));
    }

    void add_parsed(ArchiveManifest manifest, const nlohmann::json& document, const std::string& descriptor_type) {
        manifest.media_type = !descriptor_type.empty() ? descriptor_type : string_field(document, "mediaType");
        if (manifest.media_type.empty()) {
            manifest.media_type = document.contains("manifests") ? kOciIndex : kOciManifest;
        }
        if (is_index_type(manifest.media_type)) {
            for (const nlohmann::json& child : document.value("manifests", nlohmann::json::array())) {
                add_manifest(child);
                manifest.children.push_back(string_field(child, "digest"));
            }
        } else {
            if (!document.contains("config")) {
                archive_failure(files_.path(), "manifest " + manifest.digest + " has no config");
            }
            add_blob(document["config"], true);
            manifest.blobs.push_back(string_field(document["config"], "digest"));
            for (const nlohmann::json& layer : document.value("layers", nlohmann::json::array())) {
                add_blob(layer, false);
                manifest.blobs.push_back(string_field(layer, "digest"));
            }
        }
        image_.manifests.push_back(std::move(manifest));
    }

    ImageArchive read(const std::string& select) {
        const std::string index_bytes = files_.read(*files_.find("index.json"));
        const nlohmann::json index = parse("index.json", index_bytes);
        const nlohmann::json entries = index.value("manifests", nlohmann::json::array());
        if (!entries.is_array() || entries.empty()) {
            archive_failure(files_.path(), "index.json lists no image");
        }
        std::vector<const nlohmann::json*> chosen;
        std::vector<std::string> names;
        bool all_unnamed_platforms = true;
        for (const nlohmann::json& entry : entries) {
            const std::string ref = annotation(entry, kRefName);
            const std::string full = annotation(entry, kContainerdName);
            names.push_back(!full.empty() ? full : !ref.empty() ? ref : string_field(entry, "digest"));
            all_unnamed_platforms = all_unnamed_platforms && ref.empty() && full.empty() && entry.contains("platform");
            if (!select.empty() && (name_matches(ref, select) || name_matches(full, select))) {
                chosen.push_back(&entry);
            }
        }
        if (!select.empty() && chosen.empty()) {
            archive_failure(files_.path(), "no image named '" + select + "' in it (it has " + join(names) + ")");
        }
        if (select.empty() && entries.size() > 1 && all_unnamed_platforms) {
            // One image for several platforms, written without an index blob:
            // index.json itself is the index to push.
            ArchiveManifest manifest;
            manifest.digest = sha256_digest(index_bytes);
            manifest.bytes = index_bytes;
            add_parsed(std::move(manifest), index, kOciIndex);
        } else {
            if (chosen.empty() && entries.size() > 1) {
                archive_failure(files_.path(), "it holds " + std::to_string(entries.size()) + " images (" +
                                                   join(names) + "): choose one by name");
            }
            const nlohmann::json& entry = chosen.empty() ? entries.front() : *chosen.front();
            image_.name = !annotation(entry, kContainerdName).empty() ? annotation(entry, kContainerdName)
                                                                      : annotation(entry, kRefName);
            add_manifest(entry);
        }
        image_.blobs = std::move(layers_);
        image_.blobs.insert(image_.blobs.end(), configs_.begin(), configs_.end());
        return std::move(image_);
    }

private:
    const ArchiveFiles& files_;
    ImageArchive image_;
    std::vector<ArchiveBlob> layers_;
    std::vector<ArchiveBlob> configs_;
    std::set<std::string> seen_blobs_;
    std::set<std::string> seen_manifests_;
};

}  // namespace

ImageArchive read_oci_layout(const ArchiveFiles& files, ArchiveFormat format, const std::string& select) {
    return OciReader(files, format).read(select);
}

}  // namespace kiln::registry::detail

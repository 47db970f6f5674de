#include "registry-client/image_inspect.h"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace kiln::registry {
namespace {

using nlohmann::json;

std::string text_field(const json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

std::uint64_t size_field(const json& object) {
    return object.is_object() && object.contains("size") && object["size"].is_number_unsigned()
               ? object["size"].get<std::uint64_t>()
               : 0;
}

json parse_manifest(const Manifest& manifest, const std::string& doing) {
    json body = json::parse(manifest.bytes, nullptr, false);
    if (!body.is_object()) {
        throw RegistryError(describe(doing, "the manifest is not a JSON object"));
    }
    return body;
}

Platform platform_of(const json& object) {
    return Platform{text_field(object, "os"), text_field(object, "architecture"), text_field(object, "variant")};
}

}  // namespace

std::string Platform::str() const {
    if (os.empty() && architecture.empty()) {
        return "";
    }
    return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
}

bool is_index(const std::string& media_type) { return media_type == kDockerManifestList || media_type == kOciIndex; }

std::optional<ImageInfo> inspect_image(Client& client, const Reference& ref) {
    std::string doing = "inspecting " + ref.str();
    std::optional<Manifest> manifest = client.get_manifest(ref.name, ref.reference());
    if (!manifest) {
        return std::nullopt;
    }
    json body = parse_manifest(*manifest, doing);
    ImageInfo info;
    info.reference = ref.str();
    info.digest = manifest->digest;
    info.media_type = manifest->media_type;
    info.manifest_size = manifest->bytes.size();
    info.size = info.manifest_size;
    if (is_index(info.media_type)) {
        if (body.contains("manifests") && body["manifests"].is_array()) {
            for (const auto& entry : body["manifests"]) {
                ChildManifest child{text_field(entry, "digest"), text_field(entry, "mediaType"), size_field(entry),
                                    platform_of(entry.value("platform", json::object()))};
                info.size += child.size;
                info.manifests.push_back(std::move(child));
            }
        }
        return info;
    }
    const json config = body.value("config", json::object());
    info.config_digest = text_field(config, "digest");
    info.size += size_field(config);
    if (body.contains("layers") && body["layers"].is_array()) {
        for (const auto& entry : body["layers"]) {
            LayerInfo layer{text_field(entry, "digest"), text_field(entry, "mediaType"), size_field(entry)};
            info.size += layer.size;
            info.layers.push_back(std::move(layer));
        }
    }
    if (!info.config_digest.empty()) {
        json image_config = json::parse(client.get_blob(ref.name, info.config_digest), nullptr, false);
        info.platform = platform_of(image_config);
        info.created = text_field(image_config, "created");
    }
    return info;
}

std::string image_created(Client& client, const std::string& repo, const Manifest& manifest) {
    json body = parse_manifest(manifest, "reading manifest " + repo + "@" + manifest.digest);
    if (is_index(manifest.media_type)) {
        if (!body.contains("manifests") || !body["manifests"].is_array() || body["manifests"].empty()) {
            return "";
        }
        std::optional<Manifest> child = client.get_manifest(repo, text_field(body["manifests"][0], "digest"));
        return child && !is_index(child->media_type) ? image_created(client, repo, *child) : "";
    }
    std::string config_digest = text_field(body.value("config", json::object()), "digest");
    if (config_digest.empty()) {
        return "";
    }
    return text_field(json::parse(client.get_blob(repo, config_digest), nullptr, false), "created");
}

std::optional<long long> parse_rfc3339(const std::string& text) {
    std::tm parts{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                    &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6 ||
        consumed != 19) {
        return std::nullopt;
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    long long seconds = timegm(&parts);
    std::size_t position = 19;
    long long nanoseconds = 0;
    if (position < text.size() && text[position] == '.') {
        long long scale = 100000000;
        for (++position; position < text.size() && std::isdigit(static_cast<unsigned char>(text[position])); ++position) {
            nanoseconds += (text[position] - '0') * scale;
            scale /= 10;
        }
    }
    if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
        int hours = 0;
        int minutes = 0;
        if (std::sscanf(text.c_str() + position + 1, "%2d:%2d", &hours, &minutes) != 2) {
            return std::nullopt;
        }
        long long offset = hours * 3600LL + minutes * 60LL;
        seconds += text[position] == '+' ? -offset : offset;
    } else if (position >= text.size() || (text[position] != 'Z' && text[position] != 'z')) {
        return std::nullopt;
    }
    return seconds * 1000000000LL + nanoseconds;
}

}  // namespace kiln::registry

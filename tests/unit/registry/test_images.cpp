#include "tests/unit/registry/test_images.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "registry-client/digest.h"

namespace kiln::test {

registry::BlobSource string_source(const std::string& data, std::size_t piece) {
    return [&data, piece] {
        auto offset = std::make_shared<std::size_t>(0);
        return [&data, piece, offset](char* buffer, std::size_t capacity) {
            std::size_t count = std::min({capacity, piece, data.size() - *offset});
            std::memcpy(buffer, data.data() + *offset, count);
            *offset += count;
            return count;
        };
    };
}

TestImage push_test_image(registry::Client& client, const std::string& repo, const std::string& tag,
                          const std::string& created, const std::string& layer_content) {
    TestImage image;
    std::string layer = layer_content;
    image.layer_digest = registry::sha256_digest(layer);
    std::string config = R"({"architecture":"amd64","os":"linux","created":")" + created +
                         R"(","rootfs":{"type":"layers","diff_ids":[")" + image.layer_digest + R"("]},"config":{}})";
    image.config_digest = registry::sha256_digest(config);
    client.upload_blob(repo, {image.layer_digest, layer.size()}, string_source(layer));
    client.upload_blob(repo, {image.config_digest, config.size()}, string_source(config));
    std::string manifest = R"({"schemaVersion":2,"mediaType":")" + std::string(registry::kDockerManifest) +
                           R"(","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":)" +
                           std::to_string(config.size()) + R"(,"digest":")" + image.config_digest +
                           R"("},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar","size":)" +
                           std::to_string(layer.size()) + R"(,"digest":")" + image.layer_digest + R"("}]})";
    image.digest = client.put_manifest(repo, tag, {registry::kDockerManifest, "", manifest});
    return image;
}

}  // namespace kiln::test

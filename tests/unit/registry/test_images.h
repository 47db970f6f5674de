#pragma once

// Builds small schema2 images through the client itself, so client tests need
// no buildah: a config blob with `created` and a platform, and one layer.

#include <string>

#include "registry-client/client.h"

namespace kiln::test {

struct TestImage {
    std::string digest;          ///< of the manifest
    std::string config_digest;
    std::string layer_digest;
};

/// A BlobSource over `data` that hands out at most `piece` bytes per read.
registry::BlobSource string_source(const std::string& data, std::size_t piece = 65536);

/// Pushes a one-layer image to `repo:tag` with `created` in its config.
TestImage push_test_image(registry::Client& client, const std::string& repo, const std::string& tag,
                          const std::string& created, const std::string& layer_content);

}  // namespace kiln::test

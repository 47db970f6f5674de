#pragma once

// One blob upload session: POST, then a monolithic PUT (digest known) or one
// streaming PATCH (digest computed on the way), resuming from the registry's
// offset after a broken transfer. Private to registry-client/.

#include <string>

#include "registry-client/client.h"
#include "registry-client/transport.h"
#include "registry-client/url.h"

namespace kiln::registry::detail {

class BlobUpload {
public:
    BlobUpload(Transport& transport, std::string repo, std::string doing);

    /// Uploads the blob `source` produces. With `known`, sends exactly
    /// `known->size` bytes and lets the registry check they hash to
    /// `known->digest`; without, returns what it computed. Throws
    /// RegistryError `doing: why`.
    BlobDescriptor run(const BlobSource& source, const Progress& progress, const BlobDescriptor* known);

private:
    Url start();
    /// Asks the session where it stands; the offset to resume from, or 0
    /// after starting a new session when it cannot be trusted.
    std::uint64_t recover();
    BlobDescriptor finish(const std::string& digest, std::uint64_t size);
    [[noreturn]] void fail(const HttpResponse& response) const;

    Transport& transport_;
    std::string repo_;
    std::string doing_;
    Url location_;   ///< always the newest Location the registry sent
};

}  // namespace kiln::registry::detail

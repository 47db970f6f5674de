#pragma once

// SHA-256 content addresses (`sha256:<64 lowercase hex>`) over OpenSSL EVP.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/image_names.h"

namespace kiln::registry {

/// Incremental SHA-256. Move-only; owns its EVP_MD_CTX.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// The digest as `sha256:<hex>`; the hasher cannot be used afterwards.
    std::string finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// `sha256:<hex>` of `data`.
std::string sha256_digest(std::string_view data);

}  // namespace kiln::registry

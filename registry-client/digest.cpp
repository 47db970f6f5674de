#include "registry-client/digest.h"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace kiln::registry {
namespace {

struct EvpDeleter {
    void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

// OpenSSL failures here mean a broken library or out of memory, not bad input.
void check_openssl(int rc, const char* what) {
    if (rc != 1) {
        throw std::runtime_error(std::string("OpenSSL ") + what + " failed");
    }
}

}  // namespace

struct Sha256::Impl {
    std::unique_ptr<EVP_MD_CTX, EvpDeleter> context{EVP_MD_CTX_new()};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
    if (!impl_->context) {
        throw std::bad_alloc();
    }
    check_openssl(EVP_DigestInit_ex(impl_->context.get(), EVP_sha256(), nullptr), "SHA-256 init");
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    check_openssl(EVP_DigestUpdate(impl_->context.get(), data, size), "SHA-256 update");
}

std::string Sha256::finish() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
    unsigned int length = 0;
    check_openssl(EVP_DigestFinal_ex(impl_->context.get(), hash.data(), &length), "SHA-256 final");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string digest = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        digest += kHex[hash[i] >> 4];
        digest += kHex[hash[i] & 0x0f];
    }
    return digest;
}

std::string sha256_digest(std::string_view data) {
    Sha256 hasher;
    hasher.update(data);
    return hasher.finish();
}

}  // namespace kiln::registry

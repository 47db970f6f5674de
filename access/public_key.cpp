#include "access/public_key.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include <openssl/evp.h>

#include "common/secret_mask.h"
#include "common/text.h"

namespace kiln::access {
namespace {

// An RSA key of 16384 bits is about 2.8 kB in base64; nothing real is longer.
constexpr std::size_t kMaxBase64Length = 16384;

constexpr std::array<std::string_view, 7> kKeyTypes{
    "ssh-ed25519",         "sk-ssh-ed25519@openssh.com",         "ssh-rsa", "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com",
};

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

ParsedKey refused(std::string why) { return ParsedKey{std::nullopt, std::move(why)}; }

std::vector<std::string> blank_separated(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (c == ' ' || c == '\t') {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
        } else {
            word.push_back(c);
        }
    }
    if (!word.empty()) {
        words.push_back(std::move(word));
    }
    return words;
}

// The blob's first field: a uint32 length, then the key type again.
std::optional<std::string> blob_type(const std::string& blob) {
    if (blob.size() < 4) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i) {
        length = (length << 8) | static_cast<unsigned char>(blob[static_cast<std::size_t>(i)]);
    }
    if (length > blob.size() - 4) {
        return std::nullopt;
    }
    return blob.substr(4, length);
}

}  // namespace

bool known_key_type(std::string_view word) {
    return std::find(kKeyTypes.begin(), kKeyTypes.end(), word) != kKeyTypes.end();
}

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t chunk = 0;
        int padding = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            std::uint32_t value = 0;
            if (c == '=') {
                // Padding only at the very end, at most two, and nothing after it.
                if (i + 4 != text.size() || j < 2) {
                    return std::nullopt;
                }
                ++padding;
            } else {
                if (padding > 0) {
                    return std::nullopt;
                }
                const std::size_t index = kAlphabet.find(c);
                if (index == std::string_view::npos) {
                    return std::nullopt;
                }
                value = static_cast<std::uint32_t>(index);
            }
            chunk = (chunk << 6) | value;
        }
        out.push_back(static_cast<char>((chunk >> 16) & 0xff));
        if (padding < 2) {
            out.push_back(static_cast<char>((chunk >> 8) & 0xff));
        }
        if (padding < 1) {
            out.push_back(static_cast<char>(chunk & 0xff));
        }
    }
    return out;
}

ParsedKey parse_public_key(std::string_view line) {
    if (line.ends_with("\n")) {
        line.remove_suffix(1);
    }
    for (char c : line) {
        if (c == '\n' || c == '\r') {
            return refused("the public key has a line break inside; give exactly one key line");
        }
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
            return refused("the public key contains a control character");
        }
    }
    const std::vector<std::string> words = blank_separated(line);
    if (words.empty()) {
        return refused("the public key is empty");
    }
    if (!known_key_type(words[0])) {
        const bool later = std::any_of(words.begin() + 1, words.end(), [](const std::string& w) {
            return known_key_type(w);
        });
        if (later) {
            return refused("the public key line has options before its type ('" + words[0] +
                           "'); give the key alone: TYPE BASE64 [COMMENT]");
        }
        return refused("unknown public key type '" + words[0].substr(0, 40) + "' (kiln takes " +
                       join(std::vector<std::string>(kKeyTypes.begin(), kKeyTypes.end()), ", ") + ")");
    }
    if (words.size() < 2) {
        return refused("the public key line has a type but no key");
    }
    const std::string& base64 = words[1];
    if (base64.size() > kMaxBase64Length) {
        return refused("the " + words[0] + " key is longer than any real key");
    }
    const std::optional<std::string> blob = decode_base64(base64);
    if (!blob) {
        return refused("the " + words[0] + " key is not valid base64");
    }
    const std::optional<std::string> inner = blob_type(*blob);
    if (!inner || *inner != words[0]) {
        return refused("the key says it is " + words[0] + " but its data is not (a truncated or pasted-together key?)");
    }
    return ParsedKey{PublicKey{words[0], base64}, ""};
}

std::string fingerprint(const PublicKey& key) {
    const std::optional<std::string> blob = decode_base64(key.base64);
    if (!blob) {
        return "SHA256:?";
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(blob->data(), blob->size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL SHA-256 failed");
    }
    return "SHA256:" + base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size), false, false);
}


}  // namespace kiln::access

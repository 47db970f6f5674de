#pragma once

// SSH public keys as authorized_keys and `.pub` files hold them: `TYPE BASE64
// [COMMENT]`. kiln keeps the type and the key; the comment is the user's and
// is not written anywhere (kiln's lines carry `kiln:NAME`).

#include <optional>
#include <string>
#include <string_view>

namespace kiln::access {

struct PublicKey {
    std::string type;    ///< `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`...
    std::string base64;  ///< the key blob, base64 as written

    /// `TYPE BASE64`.
    std::string text() const { return type + " " + base64; }
    bool operator==(const PublicKey&) const = default;
};

struct ParsedKey {
    std::optional<PublicKey> key;
    std::string problem;  ///< why it was refused, when `key` is empty
};

/// Parses one public key line (one final newline allowed). Refused, with the
/// reason: a line break or control character inside, options in front of the
/// type (`command="..." ssh-ed25519 ...`), a type OpenSSH's current keys do not
/// have (DSA included), base64 that does not decode strictly, and a blob
/// whose own type is not the line's.
ParsedKey parse_public_key(std::string_view line);

/// True when `word` is one of the key types parse_public_key() accepts.
bool known_key_type(std::string_view word);

/// The key's fingerprint as `ssh-keygen -l` prints it: `SHA256:` and the
/// unpadded base64 of the blob's SHA-256.
std::string fingerprint(const PublicKey& key);

/// The bytes `text` encodes in base64 (RFC 4648, padded, no blanks); nothing
/// when it is not exactly that.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace kiln::access

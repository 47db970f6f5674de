#pragma once

// `<state_dir>/keys.json`: each kiln key's role and repositories, by name. The
// forced command in authorized_keys names the key; this file says what the
// key may do, so a role changes without touching authorized_keys.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "access/public_key.h"
#include "access/role.h"
#include "common/posix.h"

namespace kiln::access {

struct KeyEntry {
    std::string name;
    Role role = Role::read;
    std::vector<std::string> repos;  ///< fnmatch globs over canonical names; empty: every repo
    PublicKey key;
    std::int64_t added = 0;          ///< seconds since the epoch
};

/// The keys, by name.
using KeyMap = std::map<std::string, KeyEntry>;

/// `<state_dir>/keys.json`.
std::filesystem::path keys_file(const std::filesystem::path& state_dir);

/// The keys in `file`; none when it does not exist. Throws StateError when it
/// cannot be read or parsed.
KeyMap read_keys(const std::filesystem::path& file);

/// Replaces `file` with `keys`, atomically, mode 0600. Throws StateError.
void write_keys(const std::filesystem::path& file, const KeyMap& keys);

/// `keys.json` as text: an object keyed by name (what write_keys writes).
std::string keys_json(const KeyMap& keys);

/// An exclusive lock on the key files (`<state_dir>/keys.lock`), held while
/// alive, so two `kiln key` commands cannot lose each other's change. Throws
/// StateError.
class KeysLock {
public:
    explicit KeysLock(const std::filesystem::path& state_dir);

private:
    UniqueFd fd_;
};

}  // namespace kiln::access

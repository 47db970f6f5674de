#pragma once

// `kiln key add|rm`: the two files that make a key (keys.json and the
// authorized_keys line) changed together, under one lock.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "access/authorized_keys.h"
#include "access/key_store.h"

namespace kiln::access {

/// Where a key goes: kiln's state dir (keys.json) and the authorized_keys
/// file, and what its forced command runs.
struct KeyFiles {
    std::filesystem::path state_dir;
    std::filesystem::path authorized_keys;
    ShellTarget shell;
};

/// Adds `entry`: to keys.json first, then its line to authorized_keys (a key
/// in keys.json without a line grants nothing). Throws UsageError, changing
/// nothing, when the name is taken (in either file) or the same public key is
/// already authorized under another name or by a line kiln did not write;
/// StateError when a file cannot be written.
void add_key(const KeyFiles& files, const KeyEntry& entry);

/// Removes key `name`: its authorized_keys line first (access ends there),
/// then its keys.json entry. False when neither file knows the name.
bool remove_key(const KeyFiles& files, const std::string& name);

/// Replaces `path` with `content` atomically, keeping its mode and owner (0600
/// and the current user for a new file, whose `.ssh` directory is made 0700).
/// Throws StateError.
void rewrite_authorized_keys(const std::filesystem::path& path, const std::string& content);

}  // namespace kiln::access

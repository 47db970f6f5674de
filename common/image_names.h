#pragma once

// Image names and tags as the registry (distribution 2.8) accepts them: one
// grammar for the config, which checks `image:` when it reads it, and for the
// registry client, which parses the references given to `kiln image`. Each
// says what is wrong in words of its own, and adds the length limit its
// context sets (a name alone, or host and name together).

#include <string_view>

namespace kiln {

/// True if `name` is a repository name: components joined by `/`, each runs
/// of lowercase letters and digits joined by `.`, `_`, `__` or dashes
/// (`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`). No length limit.
bool is_image_name(std::string_view name);

/// True if `tag` matches `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
bool is_image_tag(std::string_view tag);

/// True for `sha256:` followed by exactly 64 lowercase hex digits: the only
/// digests kiln reads or writes.
bool is_sha256_digest(std::string_view digest);

}  // namespace kiln

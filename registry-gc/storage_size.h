#pragma once

#include <cstdint>
#include <filesystem>

namespace kiln::registry_gc {

/// The bytes of every regular file under `root` (as `du -sb` counts them,
/// symlinks not followed). Throws StateError when `root` cannot be walked.
std::uint64_t storage_bytes(const std::filesystem::path& root);

}  // namespace kiln::registry_gc

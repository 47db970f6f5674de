#pragma once

// Git's delta encoding, as packs store an object relative to another one
// (gitformat-pack(5), "Deltified representation"). Bytes a pusher controls:
// every size and copy is checked, and malformed input gives nothing.

#include <cstdint>
#include <optional>
#include <string>

namespace kiln::git_objects {

/// A delta starts with two little-endian base-128 sizes: its base's and its result's.
struct DeltaSizes {
    std::uint64_t source = 0;
    std::uint64_t result = 0;
    std::size_t header_bytes = 0;  ///< how many bytes the two sizes took
};

/// The two sizes at the start of `delta`; nothing when they are cut short or
/// do not fit 64 bits.
std::optional<DeltaSizes> delta_sizes(const std::string& delta);

/// `delta` applied to `base`; nothing when the delta is malformed, names
/// another base size, or builds more than `max_result` bytes.
std::optional<std::string> apply_delta(const std::string& base, const std::string& delta, std::uint64_t max_result);

}  // namespace kiln::git_objects

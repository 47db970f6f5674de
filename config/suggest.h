#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kiln::config {

/// The entry of `known` closest to `typo` by edit distance (ignoring case, a
/// swap of neighbours counting as one edit), when it is close enough to be the
/// likely intent: at most two edits, and at most half of `typo`'s length.
std::optional<std::string> closest_match(const std::string& typo, const std::vector<std::string>& known);

}  // namespace kiln::config

#pragma once

// A release named the ways `kiln rollback` and `kiln image` take: a build
// number (`42`, `#42`) or a unique prefix of its commit, at least 7 hex
// digits, as `kiln builds` shows it.

#include <optional>
#include <string>
#include <vector>

#include "releases/ledger.h"

namespace kiln::releases {

/// Fewer digits than git's default abbreviation name too many commits.
inline constexpr std::size_t kMinShaPrefix = 7;

/// True for what find_release reads as a commit prefix: 7 to 40 lowercase hex digits.
bool looks_like_sha_prefix(const std::string& text);

struct ReleaseLookup {
    std::optional<LedgerEvent> release;
    std::string problem;  ///< why there is none: no such build, no such commit, an ambiguous prefix
};

/// The release `text` names among `events` of `repo`. For a commit prefix
/// matching several releases of one commit (rebuilds), the newest; matching
/// several commits, none, with the candidates in the problem.
ReleaseLookup find_release(const std::vector<LedgerEvent>& events, const std::string& repo, const std::string& text);

}  // namespace kiln::releases

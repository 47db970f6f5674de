#include "releases/release_lookup.h"

#include <algorithm>
#include <set>

#include "common/text.h"
#include "releases/release_history.h"

namespace kiln::releases {
namespace {

std::optional<int> build_number(const std::string& text) {
    const std::string digits = text.starts_with("#") ? text.substr(1) : text;
    if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), [](char c) {
            return c >= '0' && c <= '9';
        })) {
        return std::nullopt;
    }
    return std::stoi(digits);
}

std::string short_sha(const std::string& sha) { return sha.substr(0, 12); }

}  // namespace

bool looks_like_sha_prefix(const std::string& text) {
    return text.size() >= kMinShaPrefix && text.size() <= 40 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

ReleaseLookup find_release(const std::vector<LedgerEvent>& events, const std::string& repo, const std::string& text) {
    // A 7-digit number is a prefix the way `kiln builds` prints shas; a
    // number with `#`, or one shorter than a prefix, is a build.
    if (const std::optional<int> number = build_number(text);
        number && (text.starts_with("#") || text.size() < kMinShaPrefix)) {
        if (std::optional<LedgerEvent> release = release_numbered(events, *number)) {
            return {std::move(release), ""};
        }
        return {std::nullopt, repo + "#" + std::to_string(*number) + " is not a release (a successful build that "
                                                                      "made an image): see kiln releases " + repo};
    }
    if (!looks_like_sha_prefix(text)) {
        return {std::nullopt, "'" + text + "' is neither a build number (#42) nor a commit prefix of at least " +
                                  std::to_string(kMinShaPrefix) + " hex digits"};
    }
    std::optional<LedgerEvent> found;
    std::set<std::string> commits;
    std::vector<std::string> candidates;
    for (const LedgerEvent& release : releases_newest_first(events)) {
        if (!release.sha.starts_with(text)) {
            continue;
        }
        if (commits.insert(release.sha).second) {
            candidates.push_back("#" + std::to_string(release.number) + " (" + short_sha(release.sha) + ")");
        }
        if (!found) {
            found = release;
        }
    }
    if (commits.size() > 1) {
        return {std::nullopt, "'" + text + "' matches releases of several commits: " + join(candidates, ", ") +
                                  "; give more digits or #N"};
    }
    if (!found) {
        return {std::nullopt, "no release of " + repo + " has a commit starting '" + text + "': see kiln releases " + repo};
    }
    return {std::move(found), ""};
}

}  // namespace kiln::releases

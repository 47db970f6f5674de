#pragma once

// /etc/subuid and /etc/subgid: the subordinate ids a user may map in a user
// namespace. buildah and podman need a range of them to build an image as a
// user other than root; `useradd --system` gives none.

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kiln::doctor {

/// How many subordinate ids an image build needs: 65536 covers every uid an
/// image's files use (nobody is 65534), and is what useradd hands out.
inline constexpr std::uint64_t kSubidsNeeded = 65536;

struct SubidRange {
    std::uint64_t start = 0;
    std::uint64_t count = 0;
};

/// The ranges `text` (`NAME:START:COUNT` lines, NAME a user name or uid)
/// gives to `user` or `uid`; malformed lines are skipped, as shadow-utils does.
std::vector<SubidRange> subid_ranges(const std::string& text, const std::string& user, uid_t uid);

/// The first id after every range of `text`, and at least 100000 (useradd's
/// SUB_UID_MIN): where a new range collides with none.
std::uint64_t free_subid_start(const std::string& text);

}  // namespace kiln::doctor

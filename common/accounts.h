#pragma once

// Names of local users and groups, for messages and fixes (`belongs to git`,
// `install -o git -g git`). Through the password and group databases (NSS):
// not for kiln-hook, which is linked statically (see hooks/box_login.cpp).

#include <sys/types.h>

#include <string>

namespace kiln {

/// `git` for a uid the password database knows, else `uid 1001`.
std::string user_name(uid_t uid);

/// `git` for a gid the group database knows, else the number.
std::string group_name(gid_t gid);

}  // namespace kiln

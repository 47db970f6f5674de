#include "common/accounts.h"

#include <grp.h>
#include <pwd.h>

namespace kiln {

std::string user_name(uid_t uid) {
    struct passwd entry {};
    struct passwd* found = nullptr;
    std::string buffer(16384, '\0');
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        return found->pw_name;
    }
    return "uid " + std::to_string(uid);
}

std::string group_name(gid_t gid) {
    struct group entry {};
    struct group* found = nullptr;
    std::string buffer(16384, '\0');
    if (::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        return found->gr_name;
    }
    return std::to_string(gid);
}

}  // namespace kiln

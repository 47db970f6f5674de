#include "doctor/kiln_user.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "common/accounts.h"
#include "common/posix.h"
#include "libgit2/git.h"

namespace kiln::doctor {

User become_kiln_user(const std::filesystem::path& git_root) {
    User self{user_name(::geteuid()), ::geteuid(), ::getegid()};
    struct stat root_stat {};
    if (self.uid != 0 || ::stat(git_root.c_str(), &root_stat) != 0 || root_stat.st_uid == 0) {
        return self;
    }
    User owner{user_name(root_stat.st_uid), root_stat.st_uid, root_stat.st_gid};
    struct passwd entry {};
    struct passwd* found = nullptr;
    std::string buffer(16384, '\0');
    if (::getpwuid_r(owner.uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        owner.gid = found->pw_gid;
    }
    const std::string doing = "becoming " + owner.name + ", the owner of '" + git_root.string() + "'";
    check_errno(::setgid(owner.gid), doing);
    check_errno(found != nullptr ? ::initgroups(owner.name.c_str(), owner.gid) : ::setgroups(0, nullptr), doing);
    check_errno(::setuid(owner.uid), doing);
    // git and the config search read $HOME: root's is not that user's to read.
    if (found != nullptr) {
        check_errno(::setenv("HOME", found->pw_dir, 1), doing);
    }
    // libgit2 found root's global config when it started; NULL looks again, in the new $HOME.
    for (const int level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG}) {
        git::check(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, nullptr), doing);
    }
    return owner;
}

}  // namespace kiln::doctor

#include "access/account.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include <pwd.h>
#include <unistd.h>

#include "common/error.h"

namespace kiln::access {

Account current_account() {
    const uid_t uid = ::geteuid();
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
    struct passwd entry {};
    struct passwd* found = nullptr;
    const int rc = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found);
    const std::string doing = "looking up uid " + std::to_string(uid) + " in the password database";
    if (rc != 0) {
        throw StateError(describe(doing, std::strerror(rc)));
    }
    if (found == nullptr || entry.pw_dir == nullptr || *entry.pw_dir == '\0') {
        throw StateError(describe(doing, "it has no entry with a home directory"));
    }
    return Account{entry.pw_name, entry.pw_dir};
}

std::filesystem::path authorized_keys_path(const Account& account) {
    return account.home / ".ssh" / "authorized_keys";
}

}  // namespace kiln::access

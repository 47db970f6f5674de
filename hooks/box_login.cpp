#include "hooks/box_login.h"

#include <unistd.h>

#include <array>
#include <climits>
#include <fstream>
#include <vector>

#include "common/text.h"

namespace kiln::hooks {

std::string host_name() {
    std::array<char, HOST_NAME_MAX + 1> name{};
    if (::gethostname(name.data(), name.size() - 1) != 0) {
        return {};
    }
    // The kernel's name for a host nobody named.
    const std::string host = name.data();
    return host == "(none)" ? std::string() : host;
}

// Read from the file, not getpwuid(): kiln-hook is linked statically, and
// glibc's NSS then needs the shared libraries of the very glibc it was built
// with at run time. The git user a push logs in as is a local account
// (useradd), which /etc/passwd lists.
std::string user_name() {
    std::ifstream passwd("/etc/passwd");
    return passwd_name(passwd, ::geteuid()).value_or("");
}

std::optional<std::string> passwd_name(std::istream& passwd, unsigned uid) {
    const std::string wanted = std::to_string(uid);
    std::string line;
    while (std::getline(passwd, line)) {
        // name:password:uid:gid:gecos:home:shell
        const std::vector<std::string> fields = split(line, ':');
        if (fields.size() >= 3 && !fields[0].empty() && fields[2] == wanted) {
            return fields[0];
        }
    }
    return std::nullopt;
}

}  // namespace kiln::hooks

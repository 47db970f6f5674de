#include "hooks/box_login.h"

#include <sstream>

#include <catch2/catch.hpp>

TEST_CASE("the user is the first passwd entry with the uid", "[hooks]") {
    std::istringstream passwd(
        "root:x:0:0:root:/root:/bin/bash\n"
        "broken line\n"
        ":x:998:998::/nowhere:/bin/false\n"
        "git:x:998:998:kiln:/srv/git:/bin/sh\n"
        "alias:x:998:998::/srv/git:/bin/sh\n");
    CHECK(kiln::hooks::passwd_name(passwd, 998) == "git");
    passwd.clear();
    passwd.seekg(0);
    CHECK(kiln::hooks::passwd_name(passwd, 0) == "root");
    passwd.clear();
    passwd.seekg(0);
    CHECK_FALSE(kiln::hooks::passwd_name(passwd, 1000));
}

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "common/atomic_file.h"
#include "repos/hook_stub.h"
#include "tests/support/temp_dir.h"

using kiln::repos::HookTarget;
using kiln::repos::parse_post_receive_stub;
using kiln::repos::post_receive_stub;

TEST_CASE("a hook stub reads back as what it runs", "[hooks]") {
    const HookTarget quoted{"/opt/my kiln/kiln-hook", std::filesystem::path("/etc/kiln/it's.yaml")};
    CHECK(parse_post_receive_stub(post_receive_stub(quoted)) == quoted);
    const HookTarget plain{"/usr/local/bin/kiln", std::nullopt};
    CHECK(parse_post_receive_stub(post_receive_stub(plain)) == plain);
}

TEST_CASE("a hook kiln init did not write reads as none", "[hooks]") {
    const std::string head =
        "#!/bin/sh\n"
        "# Installed by `kiln init`; running `kiln init` again rewrites it.\n";
    CHECK_FALSE(parse_post_receive_stub(""));
    CHECK_FALSE(parse_post_receive_stub("#!/bin/sh\nexec '/usr/bin/kiln-hook' hook post-receive\n"));
    CHECK_FALSE(parse_post_receive_stub(head + "exec '/usr/bin/kiln-hook' hook pre-receive\n"));
    CHECK_FALSE(parse_post_receive_stub(head + "exec '/usr/bin/kiln-hook' hook post-receive; rm -rf /\n"));
    CHECK_FALSE(parse_post_receive_stub(head + "exec '/usr/bin/kiln-hook' -c x hook post-receive\n"));
    CHECK_FALSE(parse_post_receive_stub(head + "exec '/usr/bin/kiln-hook hook post-receive\n"));
    CHECK(parse_post_receive_stub(head + "exec /usr/bin/kiln-hook --config /etc/k.yaml hook post-receive\n") ==
          HookTarget{"/usr/bin/kiln-hook", std::filesystem::path("/etc/k.yaml")});
}

TEST_CASE("the hook runs the kiln-hook next to kiln, else kiln itself", "[hooks]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path kiln = dir / "kiln";
    kiln::write_file_atomic(kiln, "", 0755);
    CHECK(kiln::repos::hook_target(kiln, "") == HookTarget{kiln, std::nullopt});
    kiln::write_file_atomic(dir / "kiln-hook", "", 0755);
    CHECK(kiln::repos::hook_target(kiln, "/etc/kiln/config.yaml") ==
          HookTarget{dir / "kiln-hook", std::filesystem::path("/etc/kiln/config.yaml")});
}

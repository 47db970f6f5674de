#!/usr/bin/env bash
# .kiln.yml names image.archive, but make did not write it: the build is
# failed, and the reason names the archive.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
commit_makefile <<'MAKEFILE'
build:
    mkdir -p out
    touch out/other.tar
MAKEFILE
write_kiln_yml 'image: {archive: out/image.tar}'
git_push origin main
reason="the build left no image archive at 'out/image.tar' (image.archive in .kiln.yml)"

assert_build_failed "$reason"
assert_eq "$(registry_tags app 2>/dev/null || true)" "" "tags of app"

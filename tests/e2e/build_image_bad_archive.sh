#!/usr/bin/env bash
# make wrote something at image.archive that is no image archive: the build
# is failed with the reader's reason, and nothing reaches the registry.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
commit_makefile <<'MAKEFILE'
build:
    mkdir -p out
    echo "not a tar" >out/image.tar
MAKEFILE
write_kiln_yml 'image: {archive: out/image.tar}'
git_push origin main
reason="reading image archive '$STATE_DIR/work/app/0/out/image.tar': not a tar file or an OCI layout directory"

assert_build_failed "$reason"
assert_eq "$(registry_tags app 2>/dev/null || true)" "" "tags of app"

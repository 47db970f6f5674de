#!/usr/bin/env bash
# `image: false` in .kiln.yml: the repo makes no image as far as kiln is
# concerned, so kiln does not look, even when the Makefile pushed $IMAGE:
# nothing is recorded and latest is not tagged.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture

commit_file Dockerfile $'FROM scratch\nCOPY busybox /bin/busybox'
commit_makefile <<'MAKEFILE'
BUILDAH = buildah --storage-driver vfs

build: busybox
    $(BUILDAH) bud --quiet --isolation chroot -t $(IMAGE) .
    $(BUILDAH) push --quiet --tls-verify=false $(IMAGE) docker://$(IMAGE)

busybox:
    cp /bin/busybox $@
MAKEFILE
write_kiln_yml 'image: false'
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"

assert_eq "$(build_field app 1 status)" success "status"
[[ "$(registry_digest "app:$sha")" =~ ^sha256: ]] || fail "the Makefile did not push app:$sha"
assert_eq "$(build_field app 1 image)" "" "image in build.json"
assert_eq "$(build_field app 1 digest)" "" "digest in build.json"
assert_eq "$(registry_tags app)" "$sha" "tags of app"
assert_file_lacks "$STATE_DIR/builds/app/1/log" "[kiln] image"
assert_file_lacks "$STATE_DIR/builds/app/1/log" "[kiln] tagged"

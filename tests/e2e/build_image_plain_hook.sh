#!/usr/bin/env bash
# The Makefile of a plain post-receive hook, unchanged: it assigns IMAGE itself
# and there is no .kiln.yml. kiln's IMAGE (given on make's command line) wins,
# so the image lands under the build's sha; kiln records it and tags latest.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture

commit_file Dockerfile $'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "true"]'
commit_makefile <<MAKEFILE
IMAGE = $REGISTRY_HOST/app:latest
BUILDAH = buildah --storage-driver vfs

build: busybox
    \$(BUILDAH) bud --quiet --isolation chroot -t \$(IMAGE) .
    \$(BUILDAH) push --quiet --tls-verify=false \$(IMAGE) docker://\$(IMAGE)

busybox:
    cp /bin/busybox \$@
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
image="$REGISTRY_HOST/app:$sha"

assert_eq "$(build_field app 1 status)" success "status"
digest="$(registry_digest "app:$sha")"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "the Makefile's push left no app:$sha (digest '$digest')"
assert_eq "$(registry_digest app:latest)" "$digest" "skopeo: app:latest"
assert_eq "$(registry_tags app)" "$sha latest" "tags of app"

last_remote_lines 3 >"$T/tail"
assert_eq "$(sed -n 1p "$T/tail")" "[kiln] tagged $REGISTRY_HOST/app:latest" "the tag line"
assert_eq "$(sed -n 2p "$T/tail")" "[kiln] image $image $digest" "the image line"
last="$(sed -n 3p "$T/tail")"
[[ "$last" == "[kiln] app#1 success in "*", image $image, digest $digest" ]] || fail "last line of the push: '$last'"

ssh_kiln show app last --json >"$T/show.json"
assert_eq "$(jq -r .image "$T/show.json")" "$image" "image in build.json"
assert_eq "$(jq -r .digest "$T/show.json")" "$digest" "digest in build.json"

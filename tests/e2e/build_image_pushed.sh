#!/usr/bin/env bash
# A Makefile that pushes $IMAGE itself (buildah push docker://$(IMAGE)): kiln
# finds it in the registry, records its digest and adds the tags.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
copy_example_app
# The example's buildah variant with a push instead of an archive.
commit_makefile <<'MAKEFILE'
BUILDAH = buildah --storage-driver vfs

build: busybox
    $(BUILDAH) bud --quiet --isolation chroot -t localhost/app-build .
    $(BUILDAH) push --quiet --tls-verify=false localhost/app-build docker://$(IMAGE)

busybox:
    cp /bin/busybox $@
MAKEFILE
write_kiln_yml 'image:
  tags: [latest, "{branch}"]'
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
image="$REGISTRY_HOST/app:$sha"

digest="$(registry_digest "app:$sha")"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "the Makefile's push left no app:$sha (digest '$digest')"
last_remote_lines 2 >"$T/tail"
assert_eq "$(head -n 1 "$T/tail")" "[kiln] image $image $digest" "the image line"
last="$(tail -n 1 "$T/tail")"
[[ "$last" == "[kiln] app#1 success in "*", image $image, digest $digest" ]] || fail "last line of the push: '$last'"
remote_lines >"$T/remote"
assert_file_lacks "$T/remote" "[kiln] pushing"

ssh_kiln show app last --json >"$T/show.json"
assert_eq "$(jq -r .image "$T/show.json")" "$image" "image in build.json"
assert_eq "$(jq -r .digest "$T/show.json")" "$digest" "digest in build.json"
assert_eq "$(registry_digest app:latest)" "$digest" "skopeo: app:latest"
assert_eq "$(registry_digest app:main)" "$digest" "skopeo: app:main"

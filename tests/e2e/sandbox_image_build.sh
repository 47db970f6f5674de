#!/usr/bin/env bash
# Rootless buildah runs inside the sandbox: a Dockerfile with a RUN step
# (examples/app's) builds, the Makefile pushes $IMAGE to the registry, and
# buildah's storage lands in the repo's own home (state/home/app), where the
# next build of app finds its layers.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
need_cmd bwrap unshare
build_image_fixture
copy_example_app
commit_makefile <<'MAKEFILE'
BUILDAH = buildah --storage-driver vfs

build: busybox
    @echo "HOME is $$HOME"
    $(BUILDAH) bud --isolation chroot -t localhost/app-build .
    $(BUILDAH) push --quiet --tls-verify=false localhost/app-build docker://$(IMAGE)

busybox:
    cp /bin/busybox $@
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
log="$STATE_DIR/builds/app/1/log"
assert_file_line "$log" "[kiln] sandbox: bubblewrap"
assert_file_contains "$log" 'RUN ["/bin/busybox", "--install", "-s", "/bin"]'
assert_file_line "$log" "HOME is $STATE_DIR/home/app"
assert_eq "$(build_field app 1 status)" success "status"
digest="$(registry_digest "app:$sha")"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "the build pushed no app:$sha (digest '$digest')"
[ -d "$STATE_DIR/home/app/.local/share/containers/storage" ] ||
    fail "buildah's storage is not in the repo's home: $(ls -la "$STATE_DIR/home/app")"
assert_eq "$(stat -c %a "$STATE_DIR/home/app")" 700 "mode of the repo's home"

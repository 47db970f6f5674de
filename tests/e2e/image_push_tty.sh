#!/usr/bin/env bash
# `kiln image push` on a terminal prints one line per blob, then a summary;
# stdout is still the reference.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test image with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
need_cmd script

registry_start
config="$(registry_kiln_config)"
export XDG_CACHE_HOME="$T/cache"
images_build again
images_buildah push --quiet again "docker-archive:$T/docker.tar:again:latest" >/dev/null
# Pushed once before, so that every blob is already there.
assert_status 0 "$KILN_BIN" -c "$config" image push "$T/docker.tar" "$REGISTRY_HOST/again:v1"
first="$(sed 's/.*@//' "$T/out")"

script -qec "$KILN_BIN -c $config image push $T/docker.tar $REGISTRY_HOST/again:v3" /dev/null >"$T/tty" </dev/null
assert_file_contains "$T/tty" "0 pushed (0B), 4 already there, 0 mounted"
assert_file_contains "$T/tty" "exists"
assert_file_contains "$T/tty" "$REGISTRY_HOST/again:v3@$first"

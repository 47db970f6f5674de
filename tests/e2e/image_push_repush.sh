#!/usr/bin/env bash
# Pushing again costs almost nothing: every blob is found by HEAD (for the
# docker save's uncompressed layers, through the cache of their gzip digests,
# without compressing again); a new repository mounts the blobs instead of
# uploading them.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test image with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"

registry_start
config="$(registry_kiln_config)"
export XDG_CACHE_HOME="$T/cache"

images_build again
images_buildah push --quiet again "docker-archive:$T/docker.tar:again:latest" >/dev/null

# blob_counts: "uploaded skipped mounted" from a --json result in $T/out.
blob_counts() {
    python3 -c 'import json; b = json.load(open("'"$T/out"'"))["blobs"]; print(b["uploaded"], b["skipped"], b["mounted"])'
}

step "first push: every blob uploaded, layers gzipped"
assert_status 0 "$KILN_BIN" -c "$config" image push --json "$T/docker.tar" "$REGISTRY_HOST/again:v1"
assert_eq "$(blob_counts)" "4 0 0" "uploaded skipped mounted"
first="$(python3 -c 'import json; print(json.load(open("'"$T/out"'"))["digest"])')"
[ -s "$T/cache/kiln/blobs.json" ] || fail "no blob cache written"

step "second push: every blob skipped, same digest"
assert_status 0 "$KILN_BIN" -c "$config" image push --json "$T/docker.tar" "$REGISTRY_HOST/again:v2"
assert_eq "$(blob_counts)" "0 4 0" "uploaded skipped mounted"
assert_eq "$(python3 -c 'import json; print(json.load(open("'"$T/out"'"))["digest"])')" "$first" "digest of the re-push"

step "a new repository mounts the blobs from the first"
assert_status 0 "$KILN_BIN" -c "$config" image push --json "$T/docker.tar" "$REGISTRY_HOST/elsewhere:v1"
assert_eq "$(blob_counts)" "0 0 4" "uploaded skipped mounted"
skopeo inspect --tls-verify=false "docker://$REGISTRY_HOST/elsewhere:v1" >/dev/null

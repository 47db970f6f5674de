#!/usr/bin/env bash
# examples/registry/config.yml runs a registry (only its address and storage
# moved into the test) that accepts pushes and deletes.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test image with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
examples="${KILN_SOURCE_DIR:-$(dirname "$0")/../..}/examples"

REGISTRY_HTTP_ADDR="$REGISTRY_HOST" REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$T/example-storage" \
    docker-registry serve "$examples/registry/config.yml" >"$T/example-registry.log" 2>&1 &
REGISTRY_PID=$!
wait_until 15 curl -fs -o /dev/null "$REGISTRY_URL/v2/" || fail "the example registry did not start: $(cat "$T/example-registry.log")"
config="$(registry_kiln_config)"
images_build one
images_buildah push --quiet one "oci-archive:$T/one.tar"
assert_status 0 "$KILN_BIN" --config "$config" image push "$T/one.tar" app:v1
assert_status 0 "$KILN_BIN" --config "$config" image rm app:v1
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "$REGISTRY_URL/v2/app/manifests/v1")" 404 "app:v1 after rm"

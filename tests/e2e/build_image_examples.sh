#!/usr/bin/env bash
# The files in examples/ are what they claim: the sample .kiln.yml files and
# the deploy host's kiln config pass `kiln config check`, daemon.json is JSON,
# deploy.sh parses, and examples/registry/config.yml runs a registry (only
# its address and storage moved into the test) that accepts pushes and deletes.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test image with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
examples="${KILN_SOURCE_DIR:-$(dirname "$0")/../..}/examples"

step "the example app's .kiln.yml files"
assert_status 0 "$KILN_BIN" config check "$examples/app/.kiln.yml" --json
assert_eq "$(jq -c .image "$T/out")" '{"archive":"","keep":10,"name":"","tags":["latest","{branch}"]}' "docker variant image"
assert_status 0 "$KILN_BIN" config check "$examples/app/buildah.kiln.yml" --json
assert_eq "$(jq -r .image.archive "$T/out")" "out/image.tar" "buildah variant archive"
assert_eq "$(jq -r .env.BUILDER "$T/out")" "buildah" "buildah variant BUILDER"

step "examples/vps"
assert_status 0 "$KILN_BIN" config check "$examples/vps/config.yaml" --json
assert_eq "$(jq -r .registry.url "$T/out")" "http://buildbox.tailnet-name.ts.net:5000" "the deploy host's registry"
jq -e '."insecure-registries" | length == 2' "$examples/vps/daemon.json" >/dev/null || fail "daemon.json"
sh -n "$examples/vps/deploy.sh"
[ -x "$examples/vps/deploy.sh" ] || fail "deploy.sh is not executable"

step "examples/registry/config.yml serves pushes and deletes"
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

#!/usr/bin/env bash
# The files in examples/ are what they claim: the sample .kiln.yml files and
# the deploy host's kiln config pass `kiln config check`, daemon.json is JSON,
# and deploy.sh parses.
source "$(dirname "$0")/lib/common.sh"
need_cmd jq
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

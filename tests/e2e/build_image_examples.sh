#!/usr/bin/env bash
# The files in examples/ are what they claim: the example app's .kiln.yml and
# the deploy host's kiln config pass `kiln config check`, daemon.json is JSON,
# and deploy.sh parses.
source "$(dirname "$0")/lib/common.sh"
need_cmd jq
examples="${KILN_SOURCE_DIR:-$(dirname "$0")/../..}/examples"

step "the example app's .kiln.yml"
assert_status 0 "$KILN_BIN" config check "$examples/app/.kiln.yml" --json
assert_eq "$(jq -c .image "$T/out")" '{"archive":"out/image.tar","keep":10,"name":"","tags":["latest","{branch}"]}' "the image"
assert_eq "$(jq -c .env "$T/out")" '{}' "no BUILDER: the Makefile picks buildah when it is installed"

step "examples/vps"
assert_status 0 "$KILN_BIN" config check "$examples/vps/config.yaml" --json
assert_eq "$(jq -r .registry.url "$T/out")" "http://buildbox.tailnet-name.ts.net:5000" "the deploy host's registry"
jq -e '."insecure-registries" | length == 2' "$examples/vps/daemon.json" >/dev/null || fail "daemon.json"
sh -n "$examples/vps/deploy.sh"
[ -x "$examples/vps/deploy.sh" ] || fail "deploy.sh is not executable"

#!/usr/bin/env bash
# `kiln image gc` refuses, in one line saying what to set, a registry kiln
# does not manage: no registry.gc.config, or one for another port. The
# registry is left as it was: same process, same config, still writable.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/registry.sh"
registry_start
config="$(registry_kiln_config)"
mkdir -p "$T/state"
sum_before="$(sha256sum "$T/registry/config.yml")"

assert_status 2 "$KILN_BIN" --config "$config" image gc
assert_file_line "$T/err" "kiln: error: collecting garbage in $REGISTRY_URL: kiln does not manage the registry $REGISTRY_URL: registry.gc.config is not set; set registry.gc.config (the registry's own config file) and registry.gc.restart (a command that restarts it) in kiln's config, see docs/registry-gc.md"
assert_eq "$(cat "$T/out")" "" "stdout"

# A config for a registry on another port: not the one registry.url names.
sed "s/^  addr: .*/  addr: 127.0.0.1:1/" "$T/registry/config.yml" >"$T/other.yml"
touch "$T/restarted"
printf 'state_dir: %s\nregistry:\n  url: %s\n  gc:\n    config: %s\n    restart: echo restarted >>%s\n' \
    "$T/state" "$REGISTRY_URL" "$T/other.yml" "$T/restarted" >"$config"
assert_status 2 "$KILN_BIN" --config "$config" image gc
assert_file_line "$T/err" "kiln: error: collecting garbage in $REGISTRY_URL: kiln does not manage the registry $REGISTRY_URL: registry.gc.config ($T/other.yml) is for a registry on port 1 (http.addr 127.0.0.1:1); set registry.gc.config to the config of the registry registry.url names"

assert_eq "$(cat "$T/restarted")" "" "restart commands run"
assert_eq "$(sha256sum "$T/registry/config.yml")" "$sum_before" "the registry's config"
kill -0 "$REGISTRY_PID" || fail "the registry is gone"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$REGISTRY_URL/v2/app/blobs/uploads/")"
assert_eq "$code" 202 "an upload start (the registry still takes writes)"

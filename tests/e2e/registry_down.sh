#!/usr/bin/env bash
# A registry that is not running gives one clear error and exit 2.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/registry.sh"

config="$(registry_kiln_config)"   # configured, never started
assert_status 2 "$KILN_BIN" --config "$config" image ls
assert_file_line "$T/err" "kiln: error: listing repositories of $REGISTRY_URL: registry $REGISTRY_URL is not reachable: connection refused (check that the registry is running and that registry.url in the kiln config points at it)"
assert_eq "$(cat "$T/out")" "" "stdout"

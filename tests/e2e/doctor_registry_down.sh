#!/usr/bin/env bash
# With the registry stopped, `kiln doctor` fails its registry check, says why
# and what to do, and exits 1; --json is valid JSON that says so too.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

registry_stop
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL registry: contacting registry $REGISTRY_URL: registry $REGISTRY_URL is not reachable: connection refused (check that the registry is running and that registry.url in the kiln config points at it); fix: start the registry at $REGISTRY_URL, or set registry.url in $KILN_CONFIG_FILE to one that runs"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

assert_status 1 kiln_as_user doctor --json
jq -e '.ok == false and ([.checks[] | select(.ok | not) | .name] == ["registry"])' "$T/out" >/dev/null ||
    fail "doctor --json: $(cat "$T/out")"

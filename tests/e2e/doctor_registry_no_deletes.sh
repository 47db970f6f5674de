#!/usr/bin/env bash
# A registry with deletes disabled answers, but fails `kiln doctor`'s check
# that it deletes manifests (image.keep and kiln image rm/prune need it).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

registry_stop
sed -i 's/enabled: true/enabled: false/' "$T/registry/config.yml"
registry_start
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "ok   registry: $REGISTRY_URL answers"
assert_file_line "$T/out" "FAIL registry deletes: $REGISTRY_URL does not delete manifests: image.keep and kiln image rm/prune fail; fix: set storage.delete.enabled: true in the registry's config, then restart it"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

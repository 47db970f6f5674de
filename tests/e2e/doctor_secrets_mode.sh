#!/usr/bin/env bash
# A secrets_dir other users can read (mode 0755) fails `kiln doctor`, with
# the chmod that fixes it; after it every check passes.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

chmod 755 "$SECRETS_DIR"
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL secrets_dir: $SECRETS_DIR has mode 0755: other users can read the secrets in it; fix: chmod 700 $SECRETS_DIR"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

step "the fix"
as_user chmod 700 "$SECRETS_DIR"
assert_status 0 kiln_as_user doctor

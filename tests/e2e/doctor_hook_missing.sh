#!/usr/bin/env bash
# A repository without its hook fails `kiln doctor` with the command that
# puts it back; after that command every check passes.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

rm "$GIT_ROOT/app.git/hooks/post-receive"
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL hook app: $GIT_ROOT/app.git/hooks/post-receive is missing: pushes build nothing; fix: $DOCTOR_KILN init app"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

step "the fix"
kiln_as_user init app >/dev/null
assert_status 0 kiln_as_user doctor

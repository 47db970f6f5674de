#!/usr/bin/env bash
# A hook that runs another kiln (a copy `kiln init` was run from) fails
# `kiln doctor`, which names both and the command that points it here.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

mkdir -p "$T/other"
install -m 755 "$KILN_BIN" "$T/other/kiln"
as_user "$T/other/kiln" --config "$KILN_CONFIG_FILE" init app >/dev/null
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL hook app: $GIT_ROOT/app.git/hooks/post-receive runs $T/other/kiln --config $KILN_CONFIG_FILE, not this kiln's $KILN --config $KILN_CONFIG_FILE; fix: $DOCTOR_KILN init app"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

step "the fix"
kiln_as_user init app >/dev/null
assert_status 0 kiln_as_user doctor

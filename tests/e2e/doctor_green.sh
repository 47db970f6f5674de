#!/usr/bin/env bash
# On a box set up as the e2e lib sets one up, with a runner alive and a repo
# that builds with buildah, every check of `kiln doctor` passes, as the user
# and as root (who checks as git_root's owner); --json says the same.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

assert_status 0 kiln_as_user doctor
cp "$T/out" "$T/doctor.out"
doctor_green_lines >"$T/expected"
doctor_lines_without_disk "$T/doctor.out" >"$T/actual"
diff -u "$T/expected" "$T/actual" || fail "kiln doctor's lines differ"
disk_line="$(grep ' disk state_dir: ' "$T/doctor.out")"
[[ "$disk_line" =~ ^ok\ \ \ disk\ state_dir:\ $STATE_DIR:\ [0-9.]+[kMGT]?B\ free\ of\ [0-9.]+[kMGT]?B\ \([0-9]+%\)$ ]] ||
    fail "disk line: $disk_line"
! grep -v '^ok   ' "$T/doctor.out" || fail "kiln doctor printed lines that are not ok"

step "as root"
assert_status 0 "$KILN" --config "$KILN_CONFIG_FILE" doctor
doctor_lines_without_disk "$T/out" >"$T/actual"
diff -u "$T/expected" "$T/actual" || fail "kiln doctor's lines as root differ"

step "--json"
assert_status 0 kiln_as_user doctor --json
jq -e '.ok == true and (.checks | length > 14) and (.checks | all(.ok and .fix == ""))' "$T/out" >/dev/null ||
    fail "doctor --json: $(cat "$T/out")"
assert_eq "$(jq -r '.checks[] | select(.name == "hook app") | .detail' "$T/out")" \
    "runs $KILN --config $KILN_CONFIG_FILE" "detail of hook app"

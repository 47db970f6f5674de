#!/usr/bin/env bash
# With no runner alive, `kiln doctor` fails its runner check with the command
# that starts one; after that command every check passes.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

# shellcheck disable=SC2046
kill $(runner_pids)
wait_until 30 sh -c "[ -z \"\$(pgrep -u '$KILN_USER' -f -- '$KILN --config $KILN_CONFIG_FILE runner')\" ]"
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL runner: no runner holds $STATE_DIR/runner.lock: queued builds wait until the next push starts one; fix: $(runner_fix)"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

if [ "$(runner_fix)" != "sudo systemctl start kiln-runner" ]; then
    step "the fix"
    as_user sh -c "$(runner_fix)"
    wait_until 10 runner_alive || fail "the fix started no runner"
    wait_until 10 kiln_as_user doctor >/dev/null || fail "doctor still fails: $(kiln_as_user doctor)"
fi

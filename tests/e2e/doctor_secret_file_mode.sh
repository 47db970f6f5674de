#!/usr/bin/env bash
# A secrets file, or a config holding registry.password, that other users can
# read fails `kiln doctor` with the chmod that fixes it, and each build of the
# repo says so in a `[kiln] warning:` line; the build still runs.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

echo "API_TOKEN=tok-$RANDOM" >"$SECRETS_DIR/app.env"
chown "$KILN_USER:" "$SECRETS_DIR/app.env"
chmod 644 "$SECRETS_DIR/app.env"
write_config "  username: kiln" "  password: pw-$RANDOM-long"
chmod 644 "$KILN_CONFIG_FILE"

assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL secrets app.env: $SECRETS_DIR/app.env has mode 0644: other users can read the secrets in it; fix: chmod 600 $SECRETS_DIR/app.env"
assert_file_line "$T/out" "FAIL config: $KILN_CONFIG_FILE has mode 0644: other users can read registry.password in it; fix: chmod 600 $KILN_CONFIG_FILE"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 2 "failed checks"

step "each build warns"
# The runner reads its config when it starts: the next push starts one that
# reads this one.
# shellcheck disable=SC2046
kill $(runner_pids)
runner_gone() { [ -z "$(runner_pids)" ]; }
wait_until 10 runner_gone || fail "the runner did not stop"
push_commit
wait_for_status app 2 success
assert_file_line "$STATE_DIR/builds/app/2/log" "[kiln] warning: '$SECRETS_DIR/app.env' (the secrets of app) can be read by other users (mode 0644); fix: chmod 600 '$SECRETS_DIR/app.env'"
assert_file_line "$STATE_DIR/builds/app/2/log" "[kiln] warning: '$KILN_CONFIG_FILE' (it holds registry.password) can be read by other users (mode 0644); fix: chmod 600 '$KILN_CONFIG_FILE'"

step "the fix"
chmod 600 "$SECRETS_DIR/app.env"
chown "$KILN_USER:" "$KILN_CONFIG_FILE"
chmod 600 "$KILN_CONFIG_FILE"
assert_status 0 kiln_as_user doctor

#!/usr/bin/env bash
# `kiln watch --report` tells the build box over the real sshd: each deploy
# becomes a "deploy" line of the repo's release ledger, written by `kiln
# deployed` through a write key's kiln shell. A report that cannot get
# through is logged and the watcher goes on deploying. An unhealthy deploy
# and its revert are reported both.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/watch.sh"
kiln_app_fixture
kiln_key_add deployer write
watch_fixture
images_build two
images_build three
# The deploy host's own config: only the registry, none of the box's state.
config="$T/watch.yaml"
printf 'registry:\n  url: %s\nstate_dir: %s\n' "$REGISTRY_URL" "$T/watch-state" >"$config"
ledger="$STATE_DIR/releases/app.jsonl"
report_ssh="ssh $(key_ssh_opts deployer) -p $SSH_PORT"

# deploy_line N: the Nth "deploy" line of the ledger, as host digest status exit.
deploy_line() {
    jq -r 'select(.kind == "deploy") | "\(.host) \(.digest) \(.status) \(.exit)"' "$ledger" | sed -n "$1p"
}

step "a deploy that exits 0 is recorded as deployed"
"$KILN_BIN" --config "$config" watch app:latest --once --now --exec 'echo "$KILN_DIGEST" >>"$RUNS"' \
    --report "$KILN_USER@127.0.0.1" --ssh-command "$report_ssh" --host-name web-1.example 2>"$T/once.log" ||
    fail "watch --once failed: $(cat "$T/once.log")"
assert_file_contains "$T/once.log" "watch report=sent to=$KILN_USER@127.0.0.1 digest=$d1 status=deployed exit=0"
assert_eq "$(deploy_line 1)" "web-1.example $d1 deployed 0" "the ledger's deploy line"
assert_file_contains "$(access_log)" "key=deployer from=127.0.0.1 verdict=allowed command=\"kiln deployed app $d1"

step "a deploy that exits non-zero is recorded as failed, with its exit status"
"$KILN_BIN" --config "$config" watch app:latest --once --now --exec 'exit 3' \
    --report "$KILN_USER@127.0.0.1" --ssh-command "$report_ssh" --host-name web-1.example 2>"$T/fail.log" ||
    fail "watch --once failed: $(cat "$T/fail.log")"
assert_eq "$(deploy_line 2)" "web-1.example $d1 failed 3" "the ledger's second deploy line"

step "a report to a port nobody answers is logged, and the watcher goes on"
dead_port="$(e2e_free_port)"
"$KILN_BIN" --config "$config" watch app:latest --interval 1s --now --exec 'echo "$KILN_DIGEST" >>"$RUNS"' \
    --report "$KILN_USER@127.0.0.1" --ssh-command "ssh $(key_ssh_opts deployer) -p $dead_port" \
    --host-name web-1.example 2>"$T/watch.log" &
watch_pid=$!
on_exit stop_pid "$watch_pid"
wait_until 30 grep -q "watch report=failed .*digest=$d1 status=deployed" "$T/watch.log" ||
    fail "no failed report: $(cat "$T/watch.log")"
assert_file_contains "$T/watch.log" "error=\"exit 255\""
image_push two app:latest
d2="$(image_digest app:latest)"
wait_until 30 grep -q "watch report=failed .*digest=$d2 status=deployed" "$T/watch.log" ||
    fail "the watcher did not go on to the next digest: $(cat "$T/watch.log")"
assert_eq "$(tail -n 1 "$RUNS")" "$d2" "digest deployed after the failed report"
assert_eq "$(jq -c 'select(.kind == "deploy")' "$ledger" | wc -l)" "2" "deploy lines after the failed reports"
stop_pid "$watch_pid"

step "an unhealthy deploy and its revert are both reported"
start_health_server   # $T/good is empty: every digest is unhealthy
"$KILN_BIN" --config "$config" watch app:latest --interval 1s --health "$HEALTH_URL" --health-window 1s \
    --exec "echo \"\$KILN_DIGEST\" >'$T/running'" \
    --report "$KILN_USER@127.0.0.1" --ssh-command "$report_ssh" --host-name web-1.example 2>"$T/health.log" &
health_pid=$!
on_exit stop_pid "$health_pid"
wait_until 20 grep -q "status=baseline digest=$d2" "$T/health.log" || fail "no baseline: $(cat "$T/health.log")"
image_push three app:latest
d3="$(image_digest app:latest)"
wait_until 30 grep -q "watch report=sent .*digest=$d2 status=reverted exit=0" "$T/health.log" ||
    fail "no revert reported: $(cat "$T/health.log")"
assert_eq "$(deploy_line 3)" "web-1.example $d3 unhealthy 0" "the unhealthy deploy's line"
assert_eq "$(deploy_line 4)" "web-1.example $d2 reverted 0" "the revert's line"
assert_eq "$(cat "$T/running")" "$d2" "digest running after the revert"

#!/usr/bin/env bash
# The runner is SIGKILLed while `kiln logs -f` follows its build: the record
# says `running` and nothing can end it until a runner starts, so the follower
# ends with one line saying so (exit 2) instead of waiting forever.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
flags="$(user_dir flags)"

commit_makefile <<MAKEFILE
build:
    @echo hanging
    @while [ ! -e $flags/go ]; do sleep 0.1; done
MAKEFILE
git_push -o kiln.detach origin main
wait_for_status app 1 running
# `|| status=$?`: a failing command in the background job must not fire the ERR trap into follow.err.
{ status=0; ssh_kiln logs app 1 -f >"$T/follow.out" 2>"$T/follow.err" || status=$?; echo "$status" >"$T/follow.status"; } &
follower=$!
wait_until 30 grep -qx "hanging" "$T/follow.out" || fail "the follower did not print the running build's log"

pids="$(runner_pids)"
[ -n "$pids" ] || fail "no runner is running"
# shellcheck disable=SC2086
kill -KILL $pids
follower_ended() { ! kill -0 "$follower" 2>/dev/null; }
wait_until 120 follower_ended || fail "kiln logs -f still waits: $(cat "$T/follow.err")"
wait "$follower"
assert_eq "$(cat "$T/follow.status")" 2 "exit status of kiln logs -f"
assert_eq "$(cat "$T/follow.err")" "[kiln] app#1 interrupted: its runner died while it ran; the next runner queues it again: kiln show app 1" "stderr of kiln logs -f"
assert_eq "$(build_field app 1 status)" running "status of app#1, which no runner has recovered yet"

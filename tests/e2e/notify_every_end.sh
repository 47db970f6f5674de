#!/usr/bin/env bash
# Every final status sends the notify POST, also for builds that end before
# they run (superseded, cancelled while queued) and builds whose runner died
# (interrupted).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/notify_listener.sh"
need_cmd python3 jq
kiln_app_fixture
flags="$(user_dir flags)"
start_notify_listener "$T/posts"
# posted STATUS NUMBER: the listener got build NUMBER's record with STATUS.
posted() { jq -s -e --arg s "$1" --argjson n "$2" 'any(.[]; .status == $s and .number == $n)' "$T"/posts/*.json >/dev/null; }

commit_notify_yml
commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE

step "superseded and cancelled while queued: no runner takes jobs yet"
as_user flock -n "$STATE_DIR/runner.lock" sh -c "touch $flags/held; while [ ! -e $flags/release ]; do sleep 0.1; done" &
holder=$!
wait_until 10 test -e "$flags/held" || fail "could not take the runner lock"
git_push -o kiln.detach origin main   # 1: superseded by 3
push_commit -o kiln.detach            # 2: cancelled
push_commit -o kiln.detach            # 3: builds
kiln_as_user cancel app 2 >/dev/null
touch "$flags/release"
wait "$holder"
kiln_as_user runner --once
assert_eq "$(build_field app 1 status)" superseded "status of #1"
assert_eq "$(build_field app 2 status)" cancelled "status of #2"
assert_eq "$(build_field app 3 status)" success "status of #3"
posted superseded 1 || fail "no notification of the superseded #1: $(cat "$T"/posts/*.json)"
posted cancelled 2 || fail "no notification of the cancelled #2"
posted success 3 || fail "no notification of #3"

step "interrupted: the runner is killed mid-build"
commit_makefile <<MAKEFILE
build:
    @if [ ! -e $flags/hung ]; then touch $flags/hung; sleep 1000; fi; echo built
MAKEFILE
git_push -o kiln.detach origin main   # 4
wait_for_status app 4 running
wait_until 10 test -e "$flags/hung" || fail "#4 did not start"
pids="$(runner_pids)"
[ -n "$pids" ] || fail "no runner is running"
# shellcheck disable=SC2086
kill -KILL $pids
kiln_as_user runner --once
assert_eq "$(build_field app 4 status)" interrupted "status of #4"
posted interrupted 4 || fail "no notification of the interrupted #4"
posted success 5 || fail "no notification of its retry #5"
assert_eq "$(ls "$STATE_DIR/notify" | wc -l)" 0 "notification requests left"

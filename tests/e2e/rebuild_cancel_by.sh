#!/usr/bin/env bash
# `kiln rebuild` and `kiln cancel` over ssh name the key that ran them: a
# rebuild is recorded pushed by it, a cancel (of a queued build and of a
# running one) records it as cancelled_by, and `kiln show` says so.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/pushed_by.sh"
need_cmd jq
kiln_app_fixture
flags="$(user_dir flags)"

step "carol cancels alice's queued push: no runner takes jobs while the lock is held"
as_user flock -n "$STATE_DIR/runner.lock" sh -c "touch $flags/held; while [ ! -e $flags/release ]; do sleep 0.1; done" &
holder=$!
wait_until 10 test -e "$flags/held" || fail "could not take the runner lock"
as_key alice
commit_makefile <<MAKEFILE
build:
    @if [ -e $flags/hang ]; then touch $flags/hung; while :; do sleep 0.1; done; fi; echo built
MAKEFILE
git_push -o kiln.detach origin main   # 1
as_key carol
ssh_kiln cancel app 1 >/dev/null
assert_eq "$(build_field app 1 status)" cancelled "status of #1"
assert_eq "$(build_field app 1 pushed_by)" alice "pushed_by of #1"
assert_eq "$(build_field app 1 cancelled_by)" carol "cancelled_by of #1"
ssh_kiln show app 1 >"$T/show"
assert_file_line "$T/show" "pushed by  alice"
assert_file_line "$T/show" "cancelled by carol"
touch "$flags/release"
wait "$holder"

step "a rebuild by bob is bob's"
as_key bob
ssh_kiln rebuild app >/dev/null   # 2
wait_for_status app 2 success
assert_eq "$(build_field app 2 trigger)" rebuild "trigger of #2"
assert_eq "$(build_field app 2 pushed_by)" bob "pushed_by of #2"

step "dave cancels bob's running rebuild: its runner records who asked"
touch "$flags/hang"
ssh_kiln rebuild app >/dev/null   # 3
wait_until 30 test -e "$flags/hung" || fail "#3 did not start"
as_key dave
ssh_kiln cancel app 3 >/dev/null
wait_for_status app 3 cancelled
assert_eq "$(build_field app 3 cancelled_by)" dave "cancelled_by of #3"
assert_eq "$(build_field app 3 pushed_by)" bob "pushed_by of #3"
[ ! -e "$STATE_DIR/builds/app/3/cancel" ] || fail "the cancel file of #3 is left"

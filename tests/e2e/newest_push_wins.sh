#!/usr/bin/env bash
# Push A, kill -9 its runner mid-build, push B to the same branch: the retry
# of A is superseded by B and never builds; B builds and is the branch's last
# word. (Retries get new, higher numbers; order is the order of the pushes.)
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
flags="$(user_dir flags)"

step "push A: its build hangs until its runner dies"
commit_makefile <<MAKEFILE
build:
    @touch $flags/a-started; echo building A; sleep 1000
MAKEFILE
git_push -o kiln.detach origin main
sha_a="$(git -C "$CLONE" rev-parse HEAD)"
wait_for_status app 1 running
wait_until 10 test -e "$flags/a-started" || fail "A's build did not start"
pids="$(runner_pids)"
[ -n "$pids" ] || fail "no runner is running"
# shellcheck disable=SC2086
kill -KILL $pids

step "push B: the next runner retries A as #3, and B (#2) wins over it"
commit_makefile <<'MAKEFILE'
build:
    @echo built $$KILN_SHA
MAKEFILE
git_push origin main
sha_b="$(git -C "$CLONE" rev-parse HEAD)"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 2)"
wait_for_status app 2 success
wait_for_status app 3 superseded
assert_eq "$(build_field app 1 status)" interrupted "status of A (#1)"
assert_eq "$(build_field app 3 trigger)" "retry of #1" "trigger of #3"
assert_eq "$(build_field app 3 sha)" "$sha_a" "sha of #3"
assert_eq "$(build_field app 3 reason)" "superseded by #2" "reason of #3"
assert_eq "$(build_field app 2 sha)" "$sha_b" "sha of B (#2)"
assert_eq "$(build_field app 3 started_at)" "" "the retry of A never started"
assert_file_contains "$STATE_DIR/builds/app/2/log" "built $sha_b"

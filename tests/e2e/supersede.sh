#!/usr/bin/env bash
# Two quick detached pushes to main while no runner takes jobs: the older is
# recorded `superseded`, the newer builds and succeeds.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

# Hold the runner lock, as a busy runner would, so both jobs wait in the queue
# (the hook starts no runner while the lock is held).
flags="$(user_dir flags)"
as_user flock -n "$STATE_DIR/runner.lock" sh -c "touch $flags/held; while [ ! -e $flags/release ]; do sleep 0.1; done" &
holder=$!
wait_until 10 test -e "$flags/held" || fail "could not take the runner lock"

commit_makefile <<'MAKEFILE'
build:
    @echo built $$KILN_SHA
MAKEFILE
git_push -o kiln.detach origin main
first="$(git -C "$CLONE" rev-parse HEAD)"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 1)"
assert_file_line "$T/remote" "[kiln] kiln.detach: not waiting for the build"
push_commit -o kiln.detach
second="$(git -C "$CLONE" rev-parse HEAD)"
assert_eq "$(build_field app 1 status)" queued "status of #1 before a runner runs"
assert_eq "$(build_field app 2 status)" queued "status of #2 before a runner runs"

touch "$flags/release"
wait "$holder"
kiln_as_user runner --once
assert_eq "$(build_field app 1 status)" superseded "status of #1"
assert_eq "$(build_field app 1 sha)" "$first" "sha of #1"
assert_eq "$(build_field app 2 status)" success "status of #2"
assert_file_contains "$STATE_DIR/builds/app/2/log" "built $second"

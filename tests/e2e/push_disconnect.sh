#!/usr/bin/env bash
# A pusher who presses Ctrl-C while the build streams stops only the
# streaming: the push is in, and the build goes on to succeed.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
flags="$(user_dir flags)"

commit_makefile <<MAKEFILE
build:
    @echo waiting
    @while [ ! -e $flags/go ]; do sleep 0.1; done
    @echo done
MAKEFILE
# With job control the push gets its own process group and, unlike a plain
# background job, does not ignore SIGINT: Ctrl-C reaches git and its ssh.
set -m
git -C "$CLONE" push origin main >"$T/push.out" 2>&1 &
pusher=$!
set +m
wait_until 30 grep -q "remote: waiting" "$T/push.out" || { cat "$T/push.out" >&2; fail "the build did not stream"; }
kill -INT -- "-$pusher"
status=0
wait "$pusher" || status=$?
[ "$status" -ne 0 ] || fail "the interrupted push exited 0"
assert_eq "$(build_field app 1 status)" running "status after the pusher left"
touch "$flags/go"
wait_for_status app 1 success 30
assert_eq "$(git --git-dir="$GIT_ROOT/app.git" rev-parse main)" "$(git -C "$CLONE" rev-parse HEAD)" "pushed main"

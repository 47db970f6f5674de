#!/usr/bin/env bash
# `ssh HOST kiln logs app N -f` follows a running build to its end, then exits 0.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
flags="$(user_dir flags)"

commit_makefile <<MAKEFILE
build:
    @echo first half
    @while [ ! -e $flags/go ]; do sleep 0.1; done
    @echo second half
MAKEFILE
git_push -o kiln.detach origin main
wait_for_status app 1 running

ssh_kiln logs app 1 -f >"$T/follow.out" 2>"$T/follow.err" &
follower=$!
wait_until 30 grep -qx "first half" "$T/follow.out" || fail "the follower did not print the running build's log"
kill -0 "$follower" || fail "the follower ended while the build runs"
touch "$flags/go"
status=0
wait "$follower" || status=$?
assert_eq "$status" 0 "exit status of kiln logs -f"
assert_file_line "$T/follow.out" "second half"
assert_eq "$(build_field app 1 status)" success "status"

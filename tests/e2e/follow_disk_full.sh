#!/usr/bin/env bash
# The disk fills while a build runs, so its end cannot be recorded: the
# streaming pusher and `kiln logs -f` each end with one line saying so (exit 2
# for logs -f) instead of waiting forever; once space is freed, the record
# becomes final and no temp file is left.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/small_disk.sh"
kiln_app_fixture
state_dir_on_small_tmpfs 4m
flags="$(user_dir flags)"

commit_makefile <<MAKEFILE
build:
    @echo started
    @while [ ! -e $flags/go ]; do sleep 0.1; done
MAKEFILE
{ git -C "$CLONE" push origin main >"$T/push.out" 2>&1 || echo "git push: exit $?" >>"$T/push.out"; } &
pusher=$!
wait_for_status app 1 running
# `|| status=$?`: a failing command in the background job must not fire the ERR trap into follow.err.
{ status=0; ssh_kiln logs app 1 -f >"$T/follow.out" 2>"$T/follow.err" || status=$?; echo "$status" >"$T/follow.status"; } &
follower=$!
wait_until 30 grep -qx "started" "$T/follow.out" || fail "the follower did not print the running build's log"

step "the disk fills, then the build ends: both followers end, saying why"
fill_state_dir
touch "$flags/go"
followers_ended() { ! kill -0 "$follower" 2>/dev/null && ! kill -0 "$pusher" 2>/dev/null; }
wait_until 120 followers_ended ||
    fail "a follower still waits: $(cat "$T/follow.err" "$T/push.out")"
wait "$follower"
assert_eq "$(cat "$T/follow.status")" 2 "exit status of kiln logs -f"
assert_eq "$(cat "$T/follow.err")" "[kiln] app#1: kiln cannot write to $STATE_DIR (No space left on device); its result is recorded once space is freed: kiln show app 1" "stderr of kiln logs -f"
wait "$pusher"
sed 's/^/  push| /' "$T/push.out" >&2
remote_lines >"$T/remote"
assert_file_line "$T/remote" "[kiln] app#1: kiln cannot write to $STATE_DIR (No space left on device); its result is recorded once space is freed: $(ssh_hint kiln show app 1)"

step "space freed: the runner records the end"
free_state_dir
wait_until 120 sh -c "jq -e '.status != \"queued\" and .status != \"running\"' '$(build_json app 1)' >/dev/null" ||
    fail "app#1 is still '$(build_field app 1 status)' after space was freed"
[ -z "$(temp_files)" ] || fail "temp files were left: $(temp_files)"

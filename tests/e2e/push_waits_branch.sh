#!/usr/bin/env bash
# A push whose build is queued behind a running build of its branch says so,
# once, right after its queued line and before its log.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/push_waits.sh"
blocking_build_fixture

push_commit_in_background main
main_pusher=$!
wait_until 30 grep -q "waits for" "$T/push-main.out" || fail "no wait line: $(cat "$T/push-main.out")"

touch "$flags/go"
wait "$main_pusher"
pusher_remote_lines main
assert_eq "$(grep -c "waits for" "$T/remote-main")" 1 "wait lines of the push to main"
assert_file_line "$T/remote-main" "[kiln] app#2 waits for app#1 on main"
assert_eq "$(sed -n 2p "$T/remote-main")" "[kiln] app#2 waits for app#1 on main" "the line after the queued line"
[[ "$(tail -n 1 "$T/remote-main")" == "[kiln] app#2 success in "* ]] || fail "last line: $(tail -n 1 "$T/remote-main")"

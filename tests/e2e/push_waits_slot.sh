#!/usr/bin/env bash
# A push to another branch whose build waits for a free runner slot
# (runner.jobs: 1) says so, once.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/push_waits.sh"
blocking_build_fixture

push_commit_in_background feature
feature_pusher=$!
wait_until 30 grep -q "waits for" "$T/push-feature.out" || fail "no wait line: $(cat "$T/push-feature.out")"

touch "$flags/go"
wait "$feature_pusher"
pusher_remote_lines feature
assert_eq "$(grep -c "waits for" "$T/remote-feature")" 1 "wait lines of the push to feature"
assert_file_line "$T/remote-feature" "[kiln] app#2 waits for a free runner slot (runner.jobs: 1)"
assert_eq "$(build_field app 2 status)" success "status of app#2"

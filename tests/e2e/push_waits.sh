#!/usr/bin/env bash
# A push whose build is queued behind another says why it waits, once, before
# its log: behind a running build of its branch, or for a free runner slot.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
write_config "runner:" "  jobs: 1"
flags="$(user_dir flags)"

commit_file .kiln.yml 'branches: [main, feature]'
commit_makefile <<MAKEFILE
build:
    @echo building \$\$KILN_BRANCH
    @while [ ! -e $flags/go ]; do sleep 0.1; done
MAKEFILE
git_push -o kiln.detach origin main
wait_for_status app 1 running

step "a push to the same branch waits for its build"
push_commit_in_background() {
    commit_file pushes.txt "push at $(date +%s.%N)" "push"
    git -C "$CLONE" push origin "HEAD:$1" >"$T/push-$1.out" 2>&1 &
}
push_commit_in_background main
main_pusher=$!
wait_until 30 grep -q "waits for" "$T/push-main.out" || fail "no wait line: $(cat "$T/push-main.out")"

step "a push to another branch waits for a free slot (runner.jobs: 1)"
push_commit_in_background feature
feature_pusher=$!
wait_until 30 grep -q "waits for" "$T/push-feature.out" || fail "no wait line: $(cat "$T/push-feature.out")"

touch "$flags/go"
wait "$main_pusher"
wait "$feature_pusher"
for branch in main feature; do
    sed "s/^/  push $branch| /" "$T/push-$branch.out" >&2
    sed -n 's/^remote: //p' "$T/push-$branch.out" | sed 's/[[:space:]]*$//' >"$T/remote-$branch"
done
assert_eq "$(grep -c "waits for" "$T/remote-main")" 1 "wait lines of the push to main"
assert_file_line "$T/remote-main" "[kiln] app#2 waits for app#1 on main"
assert_eq "$(sed -n 2p "$T/remote-main")" "[kiln] app#2 waits for app#1 on main" "the line after the queued line"
[[ "$(tail -n 1 "$T/remote-main")" == "[kiln] app#2 success in "* ]] || fail "last line: $(tail -n 1 "$T/remote-main")"
assert_eq "$(grep -c "waits for" "$T/remote-feature")" 1 "wait lines of the push to feature"
assert_file_line "$T/remote-feature" "[kiln] app#3 waits for a free runner slot (runner.jobs: 1)"
assert_eq "$(build_field app 3 status)" success "status of app#3"

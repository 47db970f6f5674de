#!/usr/bin/env bash
# The foundation end to end: `kiln init app` as the git user, then `git push
# ssh://...app.git main` over a real sshd; the post-receive hook runs and
# speaks to the pusher.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture

step "kiln init app, as the user who receives pushes"
kiln_as_user init app >"$T/init.out"
assert_eq "$(cat "$T/init.out")" "created $GIT_ROOT/app.git"
assert_eq "$(stat -c %U "$GIT_ROOT/app.git")" "$KILN_USER" "owner of app.git"

step "git push over ssh:// with -o ci.skip: the hook runs, nothing builds"
new_clone app
commit_file README "hello"
git_push -o ci.skip origin main
assert_eq "$(git --git-dir="$GIT_ROOT/app.git" rev-parse refs/heads/main)" "$(git -C "$CLONE" rev-parse HEAD)" "pushed main"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "[kiln] ci.skip: not building app main"
[ ! -e "$STATE_DIR/builds/app" ] || fail "ci.skip created a build: $(ls "$STATE_DIR/builds/app")"

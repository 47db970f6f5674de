#!/usr/bin/env bash
# A project whose first branch is `master` (Debian's git names it so) builds
# on push without any `branches` setting: here an existing bare repository
# whose HEAD is master, given a hook by `kiln init`, receives `git push origin
# master` over the real sshd.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
as_user git init -q --bare -b master "$GIT_ROOT/app.git"
kiln_as_user init app >"$T/init.out"
assert_eq "$(cat "$T/init.out")" "refreshed the hook of existing $GIT_ROOT/app.git" "kiln init output"
assert_eq "$(as_user git --git-dir="$GIT_ROOT/app.git" symbolic-ref HEAD)" refs/heads/master "HEAD of app.git"

CLONE="$T/clone-app"
git init -q -b master "$CLONE"
git -C "$CLONE" remote add origin "$(repo_url app)"
commit_makefile <<'MAKEFILE'
build:
    @echo "built $$KILN_BRANCH"
MAKEFILE
git_push origin master
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 1)"
assert_file_line "$T/remote" "built master"
last="$(tail -n 1 "$T/remote")"
[[ "$last" =~ ^\[kiln\]\ app#1\ success\ in\ [0-9]+s$ ]] || fail "last line of the push: '$last'"
assert_eq "$(build_field app 1 branch)" master "branch of app#1"
assert_eq "$(build_field app 1 status)" success "status of app#1"

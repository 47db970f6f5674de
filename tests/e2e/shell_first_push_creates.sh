#!/usr/bin/env bash
# A write key's first push to a repository that does not exist creates it, as
# `kiln init` would, and it builds; git runs with the key's name as
# KILN_PUSHED_BY, the identity the hook records.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write
use_key wendy

step "no repository yet; the first push creates it and builds"
[ ! -e "$GIT_ROOT/app.git" ] || fail "app.git exists before the first push"
new_clone app
commit_makefile <<'MAKEFILE'
build:
    @echo "built $$KILN_REPO#$$KILN_BUILD"
MAKEFILE
git_push origin main
assert_eq "$(git --git-dir="$GIT_ROOT/app.git" rev-parse refs/heads/main)" "$(git -C "$CLONE" rev-parse HEAD)" "pushed main"
assert_eq "$(stat -c %U "$GIT_ROOT/app.git")" "$KILN_USER" "owner of app.git"
assert_file_contains "$GIT_ROOT/app.git/hooks/post-receive" "hook post-receive"
assert_file_contains "$GIT_ROOT/app.git/hooks/post-receive" "--config '$KILN_CONFIG_FILE'"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 1)"
assert_file_line "$T/remote" "built app#1"
wait_for_status app 1 success
assert_file_contains "$(access_log)" "key=wendy from=127.0.0.1 verdict=allowed command=\"git-receive-pack '$GIT_ROOT/app.git'\""

step "a team repository by the scp-like path, with another key's name"
kiln_key_add walt write
new_clone team/api
git -C "$CLONE" remote set-url origin "$KILN_USER@127.0.0.1:team/api"
export GIT_SSH_COMMAND="ssh $(key_ssh_opts walt) -p $SSH_PORT"
commit_makefile <<'MAKEFILE'
build:
    @echo api
MAKEFILE
git_push origin main
[ -f "$GIT_ROOT/team/api.git/HEAD" ] || fail "team/api.git was not created"
wait_for_status team/api 1 success

step "git's hooks see KILN_PUSHED_BY: the key's name"
# A pre-receive hook of the test's own (kiln installs only post-receive)
# records what the hooks of a push get.
marks="$(user_dir marks)"
cat >"$GIT_ROOT/team/api.git/hooks/pre-receive" <<HOOK
#!/bin/sh
printf '%s\n' "\$KILN_PUSHED_BY" >"$marks/pushed_by"
HOOK
chmod 755 "$GIT_ROOT/team/api.git/hooks/pre-receive"
chown "$KILN_USER:" "$GIT_ROOT/team/api.git/hooks/pre-receive"
commit_file README "second"
git_push -o ci.skip origin main
assert_eq "$(cat "$marks/pushed_by")" walt "KILN_PUSHED_BY in the push's hooks"
assert_eq "$(build_field team/api 1 pushed_by)" walt "pushed_by of team/api#1"
assert_eq "$(build_field app 1 pushed_by)" wendy "pushed_by of app#1"

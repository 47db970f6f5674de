#!/usr/bin/env bash
# A repository under git_root that is a symlink to one outside is refused (a
# plain login clones it: the repository is real); so is a first push through a
# team folder that is a symlink out, which creates nothing.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write
outside="$(user_dir outside)"
as_user git init -q --bare "$outside/secret.git"
git init -q -b main "$T/seed"
git -C "$T/seed" commit -q --allow-empty -m secret
git -C "$T/seed" push -q "ssh://$KILN_USER@127.0.0.1:$SSH_PORT$outside/secret.git" main
as_user ln -s "$outside/secret.git" "$GIT_ROOT/secret.git"
as_user ln -s "$outside" "$GIT_ROOT/team"

step "a plain login clones it through the symlink"
git clone -q "$(repo_url secret)" "$T/plain-clone"

step "kiln shell refuses it, and a push through the team symlink"
assert_refused wendy -- "git-upload-pack 'secret.git'" \
    "kiln: refused git-upload-pack: repository 'secret' leads out of git_root $GIT_ROOT (to $outside/secret.git)"
assert_refused wendy -- "git-receive-pack 'team/new.git'" \
    "kiln: refused git-receive-pack: repository 'team/new' leads out of git_root $GIT_ROOT (through $GIT_ROOT/team)"
use_key wendy
if git clone -q "$(repo_url secret)" "$T/key-clone" 2>"$T/clone.err"; then
    fail "the key cloned the repository outside git_root"
fi
assert_file_contains "$T/clone.err" "kiln: refused git-upload-pack: repository 'secret' leads out of git_root"
[ ! -e "$outside/new.git" ] || fail "new.git was created outside git_root"
assert_eq "$(ls "$outside")" "secret.git" "entries of the outside folder"

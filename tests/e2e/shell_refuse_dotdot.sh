#!/usr/bin/env bash
# `git-receive-pack '../x.git'` from a write key is refused and creates nothing,
# neither outside git_root nor in it.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write

assert_refused wendy -- "git-receive-pack '../x.git'" \
    "kiln: refused git-receive-pack: repository name '../x.git' contains '..'"
assert_refused wendy -- "git-receive-pack '~/../x.git'" \
    "kiln: refused git-receive-pack: repository name '../x.git' contains '..'"
assert_refused wendy -- "git-receive-pack '$GIT_ROOT/../x.git'" \
    "kiln: refused git-receive-pack: repository name '../x.git' contains '..'"
[ ! -e "$T/x.git" ] || fail "x.git was created next to git_root"
assert_eq "$(find "$GIT_ROOT" -mindepth 1 | wc -l)" 0 "entries under git_root"

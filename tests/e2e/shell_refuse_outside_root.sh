#!/usr/bin/env bash
# `git-upload-pack '/etc'` and any absolute path outside git_root are refused,
# for reading and for a first push alike.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write

assert_refused wendy -- "git-upload-pack '/etc'" \
    "kiln: refused git-upload-pack: repository '/etc' is not under git_root $GIT_ROOT"
assert_refused wendy -- "git-upload-pack '$STATE_DIR'" \
    "kiln: refused git-upload-pack: repository '$STATE_DIR' is not under git_root $GIT_ROOT"
assert_refused wendy -- "git-receive-pack '$T/elsewhere.git'" \
    "kiln: refused git-receive-pack: repository '$T/elsewhere.git' is not under git_root $GIT_ROOT"
assert_refused wendy -- "git-upload-pack '~root/x.git'" \
    "kiln: refused git-upload-pack: repository '~root/x.git': only '~/' (git_root) may start a path"
assert_refused wendy -- "git-upload-pack 'missing.git'" \
    "kiln: refused git-upload-pack: no repository 'missing' under git_root $GIT_ROOT"
[ ! -e "$T/elsewhere.git" ] || fail "elsewhere.git was created outside git_root"
assert_eq "$(find "$GIT_ROOT" -mindepth 1 | wc -l)" 0 "entries under git_root"

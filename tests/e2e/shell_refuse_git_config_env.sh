#!/usr/bin/env bash
# A client-sent GIT_CONFIG_PARAMETERS setting uploadpack.packObjectsHook runs a
# command of the client's on a plain login (the attack is real), and kiln shell
# refuses it: no marker, one line, logged.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
commit_file README "hello"
git_push -o ci.skip origin main
kiln_key_add rita read
marks="$(user_dir marks)"
params="'uploadpack.packobjectshook'='touch $marks/pwned #'"
setenv="SetEnv=GIT_CONFIG_PARAMETERS=\"$params\""

step "on a plain login the hook runs"
GIT_SSH_COMMAND="ssh ${SSH_OPTS[*]} -o $(printf '%q' "$setenv")" git clone -q "$(repo_url app)" "$T/plain" 2>/dev/null || true
[ -e "$marks/pwned" ] || fail "the packObjectsHook attack did not run on a plain login: the test proves nothing"
rm -f "$marks/pwned"

step "through kiln shell it is refused"
assert_refused rita -o "$setenv" -- "git-upload-pack '$GIT_ROOT/app.git'" \
    "kiln: refused: the client sent GIT_CONFIG_PARAMETERS; kiln shell takes no environment but GIT_PROTOCOL (drop it from SendEnv/SetEnv)"
if GIT_SSH_COMMAND="ssh $(key_ssh_opts rita) -o $(printf '%q' "$setenv")" git clone -q "$(repo_url app)" "$T/key" 2>"$T/clone.err"; then
    fail "the clone with GIT_CONFIG_PARAMETERS succeeded"
fi
assert_file_contains "$T/clone.err" "kiln: refused: the client sent GIT_CONFIG_PARAMETERS"
[ ! -e "$marks/pwned" ] || fail "the packObjectsHook ran through kiln shell"
assert_eq "$(find "$marks" -mindepth 1 | wc -l)" 0 "files in the marks dir"

step "without it the same key clones"
use_key rita
git clone -q "$(repo_url app)" "$T/clean"

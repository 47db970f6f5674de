#!/usr/bin/env bash
# A read key fetches (every path form git sends, protocol v2 included) and
# lists builds, but its push and its `kiln cancel` are refused.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write
kiln_key_add rita read

step "a write key pushes app and it builds"
use_key wendy
new_clone app
commit_makefile <<'MAKEFILE'
build:
    @echo ok
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
wait_for_status app 1 success

step "the read key clones by ~/, by the absolute path and scp-like, over protocol v2"
use_key rita
git -c protocol.version=2 clone -q "ssh://$KILN_USER@127.0.0.1:$SSH_PORT/~/app.git" "$T/by-home"
assert_eq "$(git -C "$T/by-home" rev-parse HEAD)" "$sha" "HEAD of the ~/ clone"
git clone -q "$(repo_url app)" "$T/by-path"
assert_eq "$(git -C "$T/by-path" rev-parse HEAD)" "$sha" "HEAD of the absolute-path clone"
GIT_SSH_COMMAND="ssh $(key_ssh_opts rita) -p $SSH_PORT" git clone -q "$KILN_USER@127.0.0.1:app" "$T/scp-like"
assert_eq "$(git -C "$T/scp-like" rev-parse HEAD)" "$sha" "HEAD of the scp-like clone"
assert_file_contains "$(access_log)" "key=rita from=127.0.0.1 verdict=allowed command=\"git-upload-pack '~/app.git'\""

step "the read key lists builds"
ssh_key rita -- "kiln builds app --json" >"$T/builds.json"
assert_eq "$(jq -r '.[0].status' "$T/builds.json")" success "status of app#1"
ssh_key rita -- "builds" >"$T/builds.out"
assert_file_contains "$T/builds.out" "app"
ssh_key rita -- "kiln show app 1 --json" >"$T/show.json"
assert_eq "$(jq -r .sha "$T/show.json")" "$sha" "sha in kiln show"

step "its push is refused and changes nothing"
git -C "$T/by-path" commit -q --allow-empty -m "rita's"
status=0
git -C "$T/by-path" push origin HEAD:main >"$T/push.out" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "the read key's push succeeded"
assert_file_line "$T/push.out" "kiln: refused 'git-receive-pack': key 'rita' (role read, every repo) may not; it needs the write role"
assert_eq "$(git --git-dir="$GIT_ROOT/app.git" rev-parse refs/heads/main)" "$sha" "main after the refused push"
tail -n 1 "$(access_log)" >"$T/last"
assert_file_contains "$T/last" "key=rita from=127.0.0.1 verdict=refused command=\"git-receive-pack '$GIT_ROOT/app.git'\""

step "its kiln cancel is refused"
assert_refused rita -- "kiln cancel app 1" \
    "kiln: refused 'kiln cancel': key 'rita' (role read, every repo) may not; it needs the write role"
assert_eq "$(build_field app 1 status)" success "app#1 after the refused cancel"

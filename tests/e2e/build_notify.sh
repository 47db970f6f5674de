#!/usr/bin/env bash
# notify: each URL gets a POST of the build's final build.json when the build
# ends, whatever its status; a URL nobody answers fails nothing.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/notify_listener.sh"
need_cmd python3 jq
kiln_app_fixture

start_notify_listener "$T/posts"
port="$NOTIFY_PORT"
# posts_are N: for wait_until, which re-counts on every poll.
posts_are() { [ "$(posts_in "$T/posts")" -eq "$1" ]; }
# A port nobody listens on: the notification fails, and fails nothing else.
dead_port="$(e2e_free_port)"

commit_file .kiln.yml "notify:
  - url: http://127.0.0.1:$port/deploy?token=tok-secret-1
  - http://127.0.0.1:$dead_port/nobody
  - url: http://127.0.0.1:$port/second"
commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"

step "a successful build: one POST per live URL, the final record"
wait_until 30 posts_are 2 || fail "expected 2 notifications, got: $(ls "$T/posts")"
assert_eq "$(cat "$T/posts/1.meta")" "/deploy?token=tok-secret-1 application/json" "first POST"
assert_eq "$(cat "$T/posts/2.meta")" "/second application/json" "second POST"
cmp -s "$T/posts/1.json" "$T/posts/2.json" || fail "the two URLs got different bodies"
assert_eq "$(jq -r .repo "$T/posts/1.json")" app "repo"
assert_eq "$(jq -r .number "$T/posts/1.json")" 1 "number"
assert_eq "$(jq -r .status "$T/posts/1.json")" success "status"
assert_eq "$(jq -r .sha "$T/posts/1.json")" "$sha" "sha"
assert_eq "$(jq -r .branch "$T/posts/1.json")" main "branch"
# build.json gains how each notification went once they went out.
assert_eq "$(jq -c . "$T/posts/1.json")" "$(jq -c 'del(.notify)' "$(build_json app 1)")" "body = build.json"
assert_eq "$(build_field app 1 status)" success "the dead URL did not fail the build"
wait_until 10 grep -q "notify=http://127.0.0.1:$dead_port/nobody error=" "$STATE_DIR/runner.log" ||
    fail "the failed notification is not in runner.log: $(cat "$STATE_DIR/runner.log")"
assert_file_contains "$STATE_DIR/runner.log" "build=app#1 notify=http://127.0.0.1:$port/deploy status=sent"
assert_file_lacks "$STATE_DIR/runner.log" "tok-secret-1"

step "a failed build notifies too"
commit_makefile <<'MAKEFILE'
build:
    @exit 4
MAKEFILE
git_push origin main || true
wait_until 30 posts_are 4 || fail "expected 4 notifications, got: $(ls "$T/posts")"
assert_eq "$(jq -r .number "$T/posts/3.json")" 2 "number"
assert_eq "$(jq -r .status "$T/posts/3.json")" failed "status"
assert_eq "$(jq -r .exit_code "$T/posts/3.json")" 2 "exit_code"
sleep 1
posts_are 4 || fail "more notifications than URLs: $(ls "$T/posts")"

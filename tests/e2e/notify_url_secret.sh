#!/usr/bin/env bash
# A notify entry can name a key of the repo's secrets file instead of its URL
# (`url_secret:`), so a token in the URL stays out of git history: the POST
# reaches that URL, and the record and the runner's log name the key, never
# the URL. A key that is not in the file fails that notification with a clear
# line, as a failed POST does.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/notify_listener.sh"
need_cmd python3 jq
kiln_app_fixture
start_notify_listener "$T/posts"

token="tok-$RANDOM-$RANDOM"
echo "DEPLOY_HOOK_URL=http://127.0.0.1:$NOTIFY_PORT/deploy?token=$token" >"$SECRETS_DIR/app.env"
chown "$KILN_USER:" "$SECRETS_DIR/app.env"
chmod 600 "$SECRETS_DIR/app.env"
commit_file .kiln.yml "notify:
  - url_secret: DEPLOY_HOOK_URL
  - url_secret: NO_SUCH_KEY"
commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status"

wait_until 30 test -s "$T/posts/1.json" || fail "no notification: $(ls "$T/posts")"
assert_eq "$(cat "$T/posts/1.meta")" "/deploy?token=$token application/json" "the POST"
assert_eq "$(jq -r .status "$T/posts/1.json")" success "status in the body"
e2e_notified() { [ "$(jq -r '.notify | length' "$(build_json app 1)")" = 2 ]; }
wait_until 30 e2e_notified || fail "build.json never recorded its notifications: $(cat "$(build_json app 1)")"
assert_eq "$(jq -c '.notify | map([.url, .error])' "$(build_json app 1)")" \
    "[[\"url_secret DEPLOY_HOOK_URL\",\"\"],[\"url_secret NO_SUCH_KEY\",\"no key 'NO_SUCH_KEY' in $SECRETS_DIR/app.env\"]]" \
    "notify in build.json"
assert_file_line "$STATE_DIR/builds/app/1/log" \
    "[kiln] notify url_secret NO_SUCH_KEY failed: no key 'NO_SUCH_KEY' in $SECRETS_DIR/app.env"
assert_file_contains "$STATE_DIR/runner.log" "build=app#1 notify=url_secret DEPLOY_HOOK_URL status=sent"
for file in "$(build_json app 1)" "$STATE_DIR/builds/app/1/log" "$STATE_DIR/runner.log" "$T/posts/1.json"; do
    assert_file_lacks "$file" "$token"
done

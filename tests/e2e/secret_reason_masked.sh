#!/usr/bin/env bash
# A failure reason that quotes a secret (the name of a file that holds it,
# here a config named in an image archive's manifest.json) is masked in
# everything kiln writes or sends: build.json, `kiln show --json`, the push's
# final line, the runner's log and the notify POST body. build.json and the
# log are the build user's alone (0600), in a state tree that is too (0700).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/notify_listener.sh"
need_cmd python3 jq tar
registry_start
KILN_REGISTRY_URL="$REGISTRY_URL"
kiln_app_fixture
start_notify_listener "$T/posts"

secret="s3cr3t-$RANDOM-file"
echo "API_TOKEN=$secret" >"$SECRETS_DIR/app.env"
chown "$KILN_USER:" "$SECRETS_DIR/app.env"
chmod 600 "$SECRETS_DIR/app.env"
commit_file .kiln.yml "image: {archive: out/image.tar}
notify:
  - http://127.0.0.1:$NOTIFY_PORT/deploy"
commit_makefile <<'MAKEFILE'
build:
    @mkdir -p out/image
    @printf '[{"Config":"%s.json","RepoTags":["app:x"],"Layers":[]}]' "$$API_TOKEN" >out/image/manifest.json
    @tar -C out/image -cf out/image.tar manifest.json
MAKEFILE
git_push origin main || true
wait_for_status app 1 failed
reason="reading image archive '$STATE_DIR/work/app/0/out/image.tar': config '***.json' named in manifest.json is missing"

step "build.json and kiln show --json"
assert_eq "$(build_field app 1 reason)" "$reason" "reason in build.json"
assert_file_lacks "$(build_json app 1)" "$secret"
assert_status 0 kiln_as_user show app 1 --json
assert_eq "$(jq -r .reason "$T/out")" "$reason" "reason in kiln show --json"
assert_file_lacks "$T/out" "$secret"

step "the push's final line"
assert_file_contains "$T/push.out" "config '***.json' named in manifest.json is missing"
assert_file_lacks "$T/push.out" "$secret"

step "the runner's log"
wait_until 30 grep -q "build=app#1 status=failed" "$STATE_DIR/runner.log" ||
    fail "the runner logged no end of app#1: $(cat "$STATE_DIR/runner.log")"
assert_file_contains "$STATE_DIR/runner.log" "config '***.json' named in manifest.json is missing"
assert_file_lacks "$STATE_DIR/runner.log" "$secret"

step "the notify POST"
wait_until 30 test -s "$T/posts/1.json" || fail "no notification: $(ls "$T/posts")"
assert_eq "$(jq -r .reason "$T/posts/1.json")" "$reason" "reason in the notify body"
assert_file_lacks "$T/posts/1.json" "$secret"
assert_file_lacks "$STATE_DIR/builds/app/1/log" "$secret"

step "modes"
assert_eq "$(stat -c %a "$(build_json app 1)")" 600 "mode of build.json"
assert_eq "$(stat -c %a "$STATE_DIR/builds/app/1/log")" 600 "mode of the log"
assert_eq "$(stat -c %a "$STATE_DIR/builds")" 700 "mode of builds/"
assert_eq "$(stat -c %a "$STATE_DIR/builds/app/1")" 700 "mode of the build's folder"
assert_eq "$(stat -c %a "$STATE_DIR/runner.log")" 600 "mode of runner.log"

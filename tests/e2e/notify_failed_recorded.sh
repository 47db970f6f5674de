#!/usr/bin/env bash
# A notification that fails is a [kiln] line in the build's log and a field
# in build.json, and the build keeps its status.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/notify_listener.sh"
need_cmd python3 jq
kiln_app_fixture
start_notify_listener "$T/posts"

commit_notify_yml
commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
git_push origin main
# build.json gains how each notification went once they went out.
wait_until 30 jq -e '.notify | length == 2' "$(build_json app 1)" >/dev/null ||
    fail "build.json records no notifications: $(cat "$(build_json app 1)")"
assert_eq "$(build_field app 1 status)" success "status of #1"
assert_file_line "$STATE_DIR/builds/app/1/log" \
    "[kiln] notify http://127.0.0.1:$dead_port/nobody failed: $(jq -r '.notify[1].error' "$(build_json app 1)")"
assert_eq "$(jq -c '[.notify[] | {url, ok}]' "$(build_json app 1)")" \
    "[{\"url\":\"http://127.0.0.1:$NOTIFY_PORT/deploy\",\"ok\":true},{\"url\":\"http://127.0.0.1:$dead_port/nobody\",\"ok\":false}]" \
    "notify field of #1"
[ -n "$(jq -r '.notify[1].error' "$(build_json app 1)")" ] || fail "the failed notification has no error"

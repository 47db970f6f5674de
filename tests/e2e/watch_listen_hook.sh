#!/usr/bin/env bash
# `kiln watch --listen` checks at once when /hook is POSTed with the token
# (in a bearer header or the query); a wrong or missing token gets 403.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/watch.sh"
watch_fixture
images_build two

port="$(registry_free_port)"
"$KILN_BIN" --config "$config" watch app:latest --interval 1h --listen "127.0.0.1:$port" --token s3cret \
    --exec 'echo "$KILN_DIGEST" >>"$RUNS"' 2>"$T/listen.log" &
listen_pid=$!
on_exit stop_pid "$listen_pid"
wait_until 20 grep -q "status=baseline digest=$d1" "$T/listen.log" || fail "no baseline: $(cat "$T/listen.log")"
# A build's notify POSTs its JSON; curl -d sends a body (httplib wants a Content-Length).
hook() { curl -s -o /dev/null -w '%{http_code}' -d '{"build":1}' "$@"; }
assert_eq "$(hook "http://127.0.0.1:$port/hook?token=wrong")" "403" "wrong token in the query"
assert_eq "$(hook -H 'Authorization: Bearer wrong' "http://127.0.0.1:$port/hook")" "403" "wrong bearer token"
assert_eq "$(hook "http://127.0.0.1:$port/hook")" "403" "no token"
image_push two app:latest
d2="$(image_digest app:latest)"
sleep 1
assert_eq "$(runs)" "0" "runs before the hook"
assert_eq "$(hook -H 'Authorization: Bearer s3cret' "http://127.0.0.1:$port/hook")" "202" "right token"
wait_until 10 runs_are 1 || fail "the hook triggered no run: $(cat "$T/listen.log")"
assert_eq "$(tail -n 1 "$RUNS")" "$d2" "digest run after the hook"
assert_eq "$(hook "http://127.0.0.1:$port/hook?token=s3cret")" "202" "token in the query"
sleep 1
assert_eq "$(runs)" "1" "an unchanged digest runs nothing"
assert_file_contains "$T/listen.log" "watch hook=refused"

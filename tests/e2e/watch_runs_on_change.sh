#!/usr/bin/env bash
# kiln watch runs its command once per new digest (and at start with --now),
# rides out a registry outage, and checks at once when /hook is POSTed with
# the token; a wrong token gets 403.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
source "$(dirname "$0")/lib/registry_images.sh"

registry_start
config="$(registry_kiln_config)"
images_build one
images_build two
images_build three
image_push one app:latest
d1="$(image_digest app:latest)"
export RUNS="$T/runs"
runs() { if [ -f "$RUNS" ]; then wc -l <"$RUNS"; else echo 0; fi; }
# runs_are N: for wait_until, which must re-count on every poll.
runs_are() { [ "$(runs)" -eq "$1" ]; }
stop_pid() { kill "$1" 2>/dev/null || true; }

step "--once --now runs the command for the current digest and exits"
assert_status 0 "$KILN_BIN" --config "$config" watch app --once --now --exec 'echo "$KILN_DIGEST $KILN_IMAGE" >>"$RUNS"'
assert_eq "$(cat "$RUNS")" "$d1 $REGISTRY_HOST/app@$d1" "KILN_DIGEST and KILN_IMAGE"
assert_file_contains "$T/err" "watch image=$REGISTRY_HOST/app:latest status=changed digest=$d1 action=run"
assert_file_contains "$T/err" "watch digest=$d1 action=done exit=0"
rm "$RUNS"

step "without --now the digest found at start is the baseline"
assert_status 0 "$KILN_BIN" --config "$config" watch app:latest --once --exec 'echo run >>"$RUNS"'
assert_eq "$(runs)" "0" "runs without --now"
assert_file_contains "$T/err" "status=baseline digest=$d1"

step "a running watch acts once per new digest"
"$KILN_BIN" --config "$config" watch app:latest --interval 1s --now --exec 'echo "$KILN_DIGEST" >>"$RUNS"; sleep 0.3' \
    2>"$T/watch.log" &
watch_pid=$!
on_exit stop_pid "$watch_pid"
wait_until 20 runs_are 1 || fail "no run at start: $(cat "$T/watch.log")"
image_push two app:latest
d2="$(image_digest app:latest)"
wait_until 20 runs_are 2 || fail "no run for the new digest: $(cat "$T/watch.log")"
sleep 3
assert_eq "$(runs)" "2" "runs after more polls"
assert_eq "$(cat "$RUNS" | tr '\n' ' ')" "$d1 $d2 " "digests acted on"

step "an outage is logged once and ridden out"
registry_stop
# Each check retries with backoff (0.5 + 1 + 2 s) before it counts as failed.
wait_until 20 grep -q 'status=unreachable' "$T/watch.log" || fail "no outage logged: $(cat "$T/watch.log")"
sleep 6
assert_eq "$(grep -c 'status=unreachable' "$T/watch.log")" "1" "outage log lines"
assert_file_contains "$T/watch.log" "is not reachable: connection refused"
registry_start
wait_until 20 grep -q 'status=reachable' "$T/watch.log" || fail "no recovery logged: $(cat "$T/watch.log")"
assert_eq "$(runs)" "2" "runs after the outage"
kill "$watch_pid"
wait "$watch_pid" 2>/dev/null || true

step "with --listen, POST /hook and the token trigger a check at once"
port="$(registry_free_port)"
"$KILN_BIN" --config "$config" watch app:latest --interval 1h --listen "127.0.0.1:$port" --token s3cret \
    --exec 'echo "$KILN_DIGEST" >>"$RUNS"' 2>"$T/listen.log" &
listen_pid=$!
on_exit stop_pid "$listen_pid"
wait_until 20 grep -q "status=baseline digest=$d2" "$T/listen.log" || fail "no baseline: $(cat "$T/listen.log")"
# A build's notify POSTs its JSON; curl -d sends a body (httplib wants a Content-Length).
hook() { curl -s -o /dev/null -w '%{http_code}' -d '{"build":1}' "$@"; }
assert_eq "$(hook "http://127.0.0.1:$port/hook?token=wrong")" "403" "wrong token in the query"
assert_eq "$(hook -H 'Authorization: Bearer wrong' "http://127.0.0.1:$port/hook")" "403" "wrong bearer token"
assert_eq "$(hook "http://127.0.0.1:$port/hook")" "403" "no token"
image_push three app:latest
d3="$(image_digest app:latest)"
sleep 1
assert_eq "$(runs)" "2" "runs before the hook"
assert_eq "$(hook -H 'Authorization: Bearer s3cret' "http://127.0.0.1:$port/hook")" "202" "right token"
wait_until 10 runs_are 3 || fail "the hook triggered no run: $(cat "$T/listen.log")"
assert_eq "$(tail -n 1 "$RUNS")" "$d3" "digest run after the hook"
assert_eq "$(hook "http://127.0.0.1:$port/hook?token=s3cret")" "202" "token in the query"
sleep 1
assert_eq "$(runs)" "3" "an unchanged digest runs nothing"
assert_file_contains "$T/listen.log" "watch hook=refused"

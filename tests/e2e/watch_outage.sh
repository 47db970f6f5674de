#!/usr/bin/env bash
# A running `kiln watch` logs a registry outage once and rides it out: it
# logs the recovery and runs nothing for it.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/watch.sh"
watch_fixture

"$KILN_BIN" --config "$config" watch app:latest --interval 1s --now --exec 'echo "$KILN_DIGEST" >>"$RUNS"; sleep 0.3' \
    2>"$T/watch.log" &
watch_pid=$!
on_exit stop_pid "$watch_pid"
wait_until 20 runs_are 1 || fail "no run at start: $(cat "$T/watch.log")"

registry_stop
# Each check retries with backoff (0.5 + 1 + 2 s) before it counts as failed.
wait_until 20 grep -q 'status=unreachable' "$T/watch.log" || fail "no outage logged: $(cat "$T/watch.log")"
sleep 6
assert_eq "$(grep -c 'status=unreachable' "$T/watch.log")" "1" "outage log lines"
assert_file_contains "$T/watch.log" "is not reachable: connection refused"
registry_start
wait_until 20 grep -q 'status=reachable' "$T/watch.log" || fail "no recovery logged: $(cat "$T/watch.log")"
assert_eq "$(runs)" "1" "runs after the outage"

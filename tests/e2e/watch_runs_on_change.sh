#!/usr/bin/env bash
# A running `kiln watch` runs its command once per new digest (and at start
# with --now), and not again while the digest stays.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/watch.sh"
watch_fixture
images_build two

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

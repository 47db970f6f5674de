#!/usr/bin/env bash
# `kiln watch --health`: a deploy whose health URL answers no 2xx within the
# window is reverted to the digest that ran before; the bad digest is not
# deployed again on later polls, and a newer digest is.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/watch.sh"
watch_fixture
images_build two
images_build three
start_health_server

step "a first deploy (--now) that stays unhealthy has nothing to go back to"
"$KILN_BIN" --config "$config" watch app:latest --once --now --health "$HEALTH_URL" --health-window 1s \
    --exec "echo \"\$KILN_DIGEST\" >>\"\$RUNS\"; echo \"\$KILN_DIGEST\" >'$T/running'" 2>"$T/first.log"
assert_file_contains "$T/first.log" "watch digest=$d1 health=unhealthy"
assert_file_contains "$T/first.log" "revert_to=none"
assert_eq "$(runs)" "1" "runs of the first deploy"
: >"$RUNS"
echo "$d1" >>"$T/good"

"$KILN_BIN" --config "$config" watch app:latest --interval 1s --health "$HEALTH_URL" --health-window 2s \
    --exec "echo \"\$KILN_DIGEST\" >>\"\$RUNS\"; echo \"\$KILN_DIGEST\" >'$T/running'" 2>"$T/watch.log" &
watch_pid=$!
on_exit stop_pid "$watch_pid"
wait_until 20 grep -q "status=baseline digest=$d1" "$T/watch.log" || fail "no baseline: $(cat "$T/watch.log")"

step "an image whose deploy stays unhealthy is reverted to the one before"
image_push two app:latest
d2="$(image_digest app:latest)"
wait_until 30 runs_are 2 || fail "no deploy and revert: $(cat "$T/watch.log")"
assert_eq "$(tr '\n' ' ' <"$RUNS")" "$d2 $d1 " "digests run: the bad one, then the one before"
assert_file_contains "$T/watch.log" "watch digest=$d2 health=unhealthy"
assert_file_contains "$T/watch.log" "error=\"HTTP 500\" revert_to=$d1"
assert_file_contains "$T/watch.log" "watch digest=$d1 revert=done exit=0"

step "the bad digest is not retried while the tag names it"
sleep 3
assert_eq "$(runs)" "2" "runs after more polls"

step "a newer digest is deployed and checked"
image_push three app:next
d3="$(image_digest app:next)"
echo "$d3" >>"$T/good"
image_retag app:next app:latest
wait_until 30 runs_are 3 || fail "the newer digest was not deployed: $(cat "$T/watch.log")"
assert_eq "$(tail -n 1 "$RUNS")" "$d3" "digest run last"
wait_until 10 grep -q "watch digest=$d3 health=ok" "$T/watch.log" || fail "no health=ok: $(cat "$T/watch.log")"

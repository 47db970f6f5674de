#!/usr/bin/env bash
# `kiln watch --once` checks once and exits: with --now it runs the command
# for the current digest; without, that digest is the baseline and nothing runs.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/watch.sh"
watch_fixture

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

#!/usr/bin/env bash
# The deploy path end to end: a push builds the example app, kiln publishes
# app:latest and POSTs the build to `kiln watch --listen` (polling only hourly),
# which runs its command for the new digest at once.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
port="$(registry_free_port)"
export RUNS="$T/runs"
"$KILN_BIN" --config "$(registry_kiln_config)" watch app:latest --interval 1h --listen "127.0.0.1:$port" \
    --token s3cret --exec 'echo "$KILN_DIGEST $KILN_IMAGE" >>"$RUNS"' 2>"$T/watch.log" &
watch_pid=$!
stop_watch() { kill "$watch_pid" 2>/dev/null || true; }
on_exit stop_watch
wait_until 20 grep -q "watch image=$REGISTRY_HOST/app:latest status=missing" "$T/watch.log" || fail "kiln watch did not start: $(cat "$T/watch.log")"

copy_example_app
write_kiln_yml "env: {BUILDER: buildah}
image: {archive: out/image.tar}
notify: [\"http://127.0.0.1:$port/hook?token=s3cret\"]"
git_push origin main
digest="$(build_field app 1 digest)"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "build 1 recorded digest '$digest'"
wait_until 15 test -s "$RUNS" || fail "the notification triggered no run: $(cat "$T/watch.log")"
assert_eq "$(cat "$RUNS")" "$digest $REGISTRY_HOST/app@$digest" "what kiln watch ran"
assert_file_contains "$STATE_DIR/runner.log" "build=app#1 notify=http://127.0.0.1:$port/hook status=sent"
assert_file_lacks "$STATE_DIR/runner.log" "s3cret"

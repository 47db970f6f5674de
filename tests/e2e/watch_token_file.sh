#!/usr/bin/env bash
# `kiln watch --listen --token-file FILE` takes /hook's token from FILE's
# first line, so it never shows in `ps`; a file other users can read gets a
# warning with the chmod that fixes it; --token and --token-file exclude
# each other.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/watch.sh"
watch_fixture
images_build two

printf '  s3cret-from-file  \nsecond line\n' >"$T/token"
chmod 644 "$T/token"
port="$(registry_free_port)"
"$KILN_BIN" --config "$config" watch app:latest --interval 1h --listen "127.0.0.1:$port" --token-file "$T/token" \
    --exec 'echo "$KILN_DIGEST" >>"$RUNS"' 2>"$T/listen.log" &
listen_pid=$!
on_exit stop_pid "$listen_pid"
wait_until 20 grep -q "status=baseline digest=$d1" "$T/listen.log" || fail "no baseline: $(cat "$T/listen.log")"
assert_file_contains "$T/listen.log" \
    "'$T/token' (the --token-file) can be read by other users (mode 0644); fix: chmod 600 '$T/token'"
if tr '\0' ' ' <"/proc/$listen_pid/cmdline" | grep -q "s3cret-from-file"; then
    fail "the token shows in the command line"
fi
hook() { curl -s -o /dev/null -w '%{http_code}' -d '{"build":1}' "$@"; }
assert_eq "$(hook -H 'Authorization: Bearer second line' "http://127.0.0.1:$port/hook")" "403" "the second line"
image_push two app:latest
d2="$(image_digest app:latest)"
assert_eq "$(hook -H 'Authorization: Bearer s3cret-from-file' "http://127.0.0.1:$port/hook")" "202" "the file's token"
wait_until 10 runs_are 1 || fail "the hook triggered no run: $(cat "$T/listen.log")"
assert_eq "$(tail -n 1 "$RUNS")" "$d2" "digest run after the hook"

step "refused"
assert_status 1 "$KILN_BIN" --config "$config" watch app:latest --exec true --token x --token-file "$T/token"
: >"$T/empty"
assert_status 1 "$KILN_BIN" --config "$config" watch app:latest --exec true --token-file "$T/empty"
assert_file_contains "$T/err" "reading --token-file '$T/empty': its first line is empty; write the token there"

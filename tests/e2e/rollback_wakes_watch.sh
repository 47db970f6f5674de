#!/usr/bin/env bash
# Releases and rollback over the real sshd and registry: two pushes by key
# alice make two releases; key ops rolls back by short sha, by #N and by
# default, each time moving latest and the branch tag by manifest copy and
# waking a `kiln watch --listen` that polls only hourly, so only the
# rollback's own notify can have made it deploy. A deploy report by
# `kiln deployed` shows in `kiln releases`, with the pushes and rollbacks.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
kiln_key_add alice write
kiln_key_add ops write
kiln_key_add rita read
use_key alice

port="$(registry_free_port)"
export RUNS="$T/runs"
"$KILN_BIN" --config "$(registry_kiln_config)" watch app:latest --interval 1h --listen "127.0.0.1:$port" \
    --token s3cret --exec 'echo "$KILN_DIGEST" >>"$RUNS"' 2>"$T/watch.log" &
watch_pid=$!
stop_watch() { kill "$watch_pid" 2>/dev/null || true; }
on_exit stop_watch
wait_until 20 grep -q "status=missing" "$T/watch.log" || fail "kiln watch did not start: $(cat "$T/watch.log")"

# last_run_is DIGEST: the watcher's last deploy was DIGEST.
last_run_is() { [ -s "$RUNS" ] && [ "$(tail -n 1 "$RUNS")" = "$1" ]; }
# expect_deployed DIGEST WHAT: the watcher deploys DIGEST, woken by a notify.
expect_deployed() {
    wait_until 15 last_run_is "$1" || fail "$2: kiln watch did not deploy $1: $(cat "$T/watch.log")"
}

copy_example_app
write_kiln_yml "env: {BUILDER: buildah}
image: {archive: out/image.tar, tags: [latest, \"{branch}\"]}
notify: [\"http://127.0.0.1:$port/hook?token=s3cret\"]"
push_site 1
sha1="$sha" digest1="$digest"
expect_deployed "$digest1" "the first push"
push_site 2
sha2="$sha" digest2="$digest"
expect_deployed "$digest2" "the second push"
[ "$digest1" != "$digest2" ] || fail "the two pushes made one image"

step "a rollback by short sha moves latest and main, and wakes the watcher"
ssh_key ops -- "kiln rollback app ${sha1:0:7}" >"$T/rollback.out"
assert_file_line "$T/rollback.out" "[kiln] rolled back app to app#1 (${sha1:0:12}) $digest1"
assert_file_line "$T/rollback.out" "[kiln] moved latest, main from #2 $digest2"
assert_file_line "$T/rollback.out" "[kiln] notified http://127.0.0.1:$port/hook"
assert_eq "$(registry_digest app:latest)" "$digest1" "latest after the rollback"
assert_eq "$(registry_digest app:main)" "$digest1" "main after the rollback"
assert_eq "$(registry_digest "app:$sha2")" "$digest2" "the rolled-back build keeps its own tag"
expect_deployed "$digest1" "the rollback by short sha"

step "a rollback by #N, then by default to the release before the current one"
ssh_key ops -- "kiln rollback app '#2'" >"$T/rollback.out"
assert_file_line "$T/rollback.out" "[kiln] rolled back app to app#2 (${sha2:0:12}) $digest2"
assert_eq "$(registry_digest app:latest)" "$digest2" "latest after rollback #2"
expect_deployed "$digest2" "the rollback by #2"
ssh_key ops -- "kiln rollback app" >"$T/rollback.out"
assert_file_line "$T/rollback.out" "[kiln] rolled back app to app#1 (${sha1:0:12}) $digest1"
expect_deployed "$digest1" "the default rollback"
ssh_key ops -- "kiln rollback app 1" >"$T/rollback.out"
assert_file_line "$T/rollback.out" "[kiln] app is at app#1 (${sha1:0:12}) $digest1 already; nothing moved"
assert_status 1 ssh_key ops -- "kiln rollback app '#9'"
assert_file_contains "$T/err" "app#9 is not a release"
assert_refused rita -- "kiln rollback app" \
    "kiln: refused 'kiln rollback': key 'rita' (role read, every repo) may not; it needs the write role"

step "a deploy report and the ledger"
ssh_key ops -- "kiln deployed app $digest1 --host web1 --status deployed --exit 0" >"$T/deployed.out"
assert_file_line "$T/deployed.out" "[kiln] recorded: web1 deployed app $digest1 (exit 0)"
ssh_key rita -- "kiln releases app --json" >"$T/releases.json"
assert_eq "$(jq -r '[.releases[].number] | join(" ")' "$T/releases.json")" "2 1" "releases, newest first"
assert_eq "$(jq -r '.releases[0].pushed_by' "$T/releases.json")" alice "who pushed #2"
assert_eq "$(jq -r '.releases[1].tags_now | join(",")' "$T/releases.json")" "latest,main" "what names #1 now"
assert_eq "$(jq -r '.releases[0].tags_now | join(",")' "$T/releases.json")" "" "what names #2 now"
assert_eq "$(jq -r '.releases[1].running_on | join(",")' "$T/releases.json")" web1 "where #1 runs"
assert_eq "$(jq -r '[.events[].kind] | join(" ")' "$T/releases.json")" \
    "release release rollback rollback rollback deploy" "the ledger's events"
assert_eq "$(jq -r '[.events[] | select(.kind == "rollback") | .by] | unique | join(",")' "$T/releases.json")" ops \
    "who rolled back"
assert_eq "$(jq -r '.events[2].from_number' "$T/releases.json")" 2 "the first rollback came from #2"
assert_eq "$(jq -r '.events[5].by + " " + .events[5].host' "$T/releases.json")" "ops web1" "the deploy report"
ssh_key rita -- "kiln releases app" >"$T/releases.out"
assert_eq "$(awk '$1 == "#1" {print $4, $NF}' "$T/releases.out")" "latest,main web1" "#1's line in kiln releases"

step "kiln image takes #N and short shas"
ssh_key rita -- "kiln image inspect app#2 --json" >"$T/inspect.json"
assert_eq "$(jq -r .digest "$T/inspect.json")" "$digest2" "the digest of app#2"
kiln_as_user image tag "app:${sha2:0:8}" keep-me >"$T/tag.out"
assert_eq "$(registry_digest app:keep-me)" "$digest2" "a tag added by short sha"
assert_status 1 kiln_as_user image inspect "app#7"
assert_file_contains "$T/err" "app#7 is not a release"

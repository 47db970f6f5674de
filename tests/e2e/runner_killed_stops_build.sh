#!/usr/bin/env bash
# The runner is SIGKILLed mid-build: no process of the build survives it
# (its leader gets SIGTERM when the runner dies), and `kiln builds` and
# `kiln show` no longer say `running`.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
marker="1000.$$4"
build_processes() { pgrep "$@" -u "$KILN_USER" -f -- "^sleep $marker|^$KILN build-leader"; }
stop_build_processes() { local pid; for pid in $(build_processes); do kill -KILL "$pid"; done; }
on_exit stop_build_processes

commit_makefile <<MAKEFILE
build:
    @setsid env -i sleep $marker &
    @echo hanging
    @sleep $marker
MAKEFILE
git_push -o kiln.detach origin main
wait_for_status app 1 running
wait_until 30 sh -c "[ \"\$(pgrep -c -u '$KILN_USER' -f -- '^sleep $marker\$')\" = 2 ]" ||
    fail "the build's two sleeps never started"

pids="$(runner_pids)"
[ -n "$pids" ] || fail "no runner is running"
# shellcheck disable=SC2086
kill -KILL $pids
wait_until 30 sh -c "! pgrep -u '$KILN_USER' -f -- '^sleep $marker\$|^$KILN build-leader' >/dev/null" ||
    fail "processes of the build survived its runner: $(build_processes -a)"
assert_eq "$(build_field app 1 status)" running "status in build.json (no runner has recovered it yet)"

kiln_as_user builds app >"$T/builds"
assert_eq "$(awk '$1 == "app" && $2 == 1 {print $5}' "$T/builds")" interrupted "STATUS of #1 in kiln builds"
kiln_as_user show app 1 >"$T/show"
assert_file_line "$T/show" "status     interrupted"
assert_file_line "$T/show" "reason     its runner died while it ran; the next runner queues it again"

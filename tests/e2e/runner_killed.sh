#!/usr/bin/env bash
# The runner is SIGKILLed mid-build; the next runner records the build
# `interrupted` and builds the same commit again.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
flags="$(user_dir flags)"

# The first run marks itself and hangs; a second run of the same commit finishes.
commit_makefile <<MAKEFILE
build:
    @if [ ! -e $flags/started ]; then touch $flags/started; echo hanging; sleep 1000; fi
    @echo built
MAKEFILE
git_push -o kiln.detach origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
wait_for_status app 1 running
wait_until 10 test -e "$flags/started"

pids="$(runner_pids)"
[ -n "$pids" ] || fail "no runner is running"
# shellcheck disable=SC2086
kill -KILL $pids
wait_until 10 sh -c "[ -z \"\$(pgrep -u '$KILN_USER' -f -- '$KILN --config $KILN_CONFIG_FILE runner')\" ]"
assert_eq "$(build_field app 1 status)" running "status of #1 right after its runner died"

kiln_as_user runner --once
assert_eq "$(build_field app 1 status)" interrupted "status of #1"
next="$(ls "$STATE_DIR/builds/app" | sort -n | tail -n 1)"
[ "$next" -gt 1 ] || fail "no new build after the interrupted one"
assert_eq "$(build_field app "$next" status)" success "status of the rebuild #$next"
assert_eq "$(build_field app "$next" sha)" "$sha" "sha of the rebuild"
assert_file_contains "$(build_json app 1)" "queued again as #$next"

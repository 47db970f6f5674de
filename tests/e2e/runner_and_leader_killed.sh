#!/usr/bin/env bash
# The runner and the leader of its build are both SIGKILLed mid-build: the
# next runner kills what the build left before the retry runs, so the retry
# never overlaps the old build in its worktree slot.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
# The retry looks for the old build's processes with pgrep: in a sandbox it
# would see its own PID namespace only, and find nothing whatever survived.
write_config "runner:" "  sandbox: none"
flags="$(user_dir flags)"
marker="1000.$$5"
old_build() { pgrep "$@" -u "$KILN_USER" -f -- "^sleep $marker\$"; }
stop_old_build() { local pid; for pid in $(old_build); do kill -KILL "$pid"; done; }
on_exit stop_old_build

# The first run hangs; the retry records what of the first run it finds alive.
commit_makefile <<MAKEFILE
build:
    @if [ ! -e $flags/started ]; then touch $flags/started; echo hanging; sleep $marker; else pgrep -a -f '^sleep $marker\$\$' >$flags/overlap || true; echo built; fi
MAKEFILE
git_push -o kiln.detach origin main
wait_for_status app 1 running
wait_until 30 old_build >/dev/null || fail "the build's sleep never started"

# Without a leader file (a kiln without leaders) there is only the runner to kill.
leader="$(jq -r .pid "$STATE_DIR/builds/app/1/leader" 2>/dev/null || true)"
pids="$(runner_pids)"
[ -n "$pids" ] || fail "no runner is running"
# Stopped first, the runner cannot clean up after its leader; killed after
# the leader, it sends it no death signal.
# shellcheck disable=SC2086
kill -STOP $pids
[ -z "$leader" ] || kill -KILL "$leader"
# shellcheck disable=SC2086
kill -KILL $pids
# A zombie until its stopped parent is gone: then init reaps it.
[ -z "$leader" ] || wait_until 10 sh -c "! kill -0 $leader 2>/dev/null" || fail "leader $leader is still alive"
old_build >/dev/null || fail "the old build's sleep died with its leader; nothing is left to test"

kiln_as_user runner --once
assert_eq "$(build_field app 1 status)" interrupted "status of #1"
next="$(ls "$STATE_DIR/builds/app" | sort -n | tail -n 1)"
[ "$next" -gt 1 ] || fail "no new build after the interrupted one"
assert_eq "$(build_field app "$next" status)" success "status of the retry #$next"
assert_eq "$(cat "$flags/overlap")" "" "processes of #1 alive while the retry ran"
if old_build >/dev/null; then
    fail "the old build's sleep survived: $(old_build -a)"
fi

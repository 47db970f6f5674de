#!/usr/bin/env bash
# A build that daemonizes by a double fork (setsid, an empty environment,
# SIGTERM ignored) is stopped by `kiln cancel`, daemon included.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
marker="1000.$$3"
escaped() { pgrep "$@" -u "$KILN_USER" -f -- "^sleep $marker\$"; }
stop_escaped() { local pid; for pid in $(escaped); do kill -KILL "$pid"; done; }
on_exit stop_escaped

commit_makefile <<MAKEFILE
build:
    @sh -c '(trap "" TERM; exec setsid env -i sleep $marker) &'
    @echo daemonized
    @sleep 1001
MAKEFILE
git_push -o kiln.detach origin main
wait_for_status app 1 running
wait_until 30 escaped >/dev/null || fail "the daemon never started"
kiln_as_user cancel app 1 >/dev/null
wait_for_status app 1 cancelled
wait_until 60 sh -c "! pgrep -u '$KILN_USER' -f -- '^sleep $marker\$' >/dev/null" ||
    fail "the daemon survived kiln cancel: $(escaped -a)"

#!/usr/bin/env bash
# A build that daemonizes by a double fork (setsid, an empty environment,
# SIGTERM ignored) and hangs is killed at its timeout, daemon included.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
marker="1000.$$2"
escaped() { pgrep "$@" -u "$KILN_USER" -f -- "^sleep $marker\$"; }
stop_escaped() { local pid; for pid in $(escaped); do kill -KILL "$pid"; done; }
on_exit stop_escaped

commit_file .kiln.yml "timeout: 3s"
# The outer sh exits at once: the daemon is an orphan in a session of its own.
commit_makefile <<MAKEFILE
build:
    @sh -c '(trap "" TERM; exec setsid env -i sleep $marker) &'
    @echo daemonized
    @sleep 1001
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" timeout "status"
assert_file_line "$STATE_DIR/builds/app/1/log" "daemonized"
# The daemon ignores SIGTERM: it dies at the end of the grace period.
wait_until 60 sh -c "! pgrep -u '$KILN_USER' -f -- '^sleep $marker\$' >/dev/null" ||
    fail "the daemon survived the timeout: $(escaped -a)"

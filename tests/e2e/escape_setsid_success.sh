#!/usr/bin/env bash
# A build that starts `setsid env -i sleep &` (a new session, an empty
# environment) and exits 0 succeeds, and the sleep does not survive it.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
# A unique argument marks this test's sleep in `ps`.
marker="1000.$$1"
escaped() { pgrep "$@" -u "$KILN_USER" -f -- "^sleep $marker\$"; }
stop_escaped() { local pid; for pid in $(escaped); do kill -KILL "$pid"; done; }
on_exit stop_escaped

commit_makefile <<MAKEFILE
build:
    @setsid env -i sleep $marker &
    @echo started
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status"
if escaped >/dev/null; then
    fail "the build's sleep survived it: $(escaped -a)"
fi
log="$STATE_DIR/builds/app/1/log"
assert_file_line "$log" "started"
assert_file_line "$log" "[kiln] stopped 1 process that make build left running"

#!/usr/bin/env bash
# A build that starts `sleep 1000 &` and hangs is killed at its timeout, and
# no process of it survives.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_file .kiln.yml "timeout: 3s"
commit_makefile <<'MAKEFILE'
build:
    @sleep 1000 &
    @echo hanging
    @sleep 1001
MAKEFILE
git_push origin main
remote_lines >"$T/remote"
last="$(tail -n 1 "$T/remote")"
[[ "$last" =~ ^\[kiln\]\ app#1\ timeout\ in\ [0-9]+s ]] || fail "last line of the push: '$last'"
assert_file_line "$T/remote" "hanging"
assert_eq "$(build_field app 1 status)" timeout "status"
# The user is this test's own: any sleep of it is the build's.
wait_until 10 sh -c "! pgrep -u '$KILN_USER' sleep >/dev/null" ||
    fail "processes of the build survived: $(pgrep -a -u "$KILN_USER" sleep)"

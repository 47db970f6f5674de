#!/usr/bin/env bash
# A failing Makefile: the build is `failed` with make's exit code, and the
# pusher's last line says so.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo about to fail
    @exit 7
MAKEFILE
git_push origin main
remote_lines >"$T/remote"
assert_file_line "$T/remote" "about to fail"
last="$(tail -n 1 "$T/remote")"
[[ "$last" =~ ^\[kiln\]\ app#1\ failed\ in\ [0-9]+s\ \(exit\ 2\) ]] || fail "last line of the push: '$last'"

ssh_kiln show app 1 --json >"$T/show.json"
assert_eq "$(jq -r .status "$T/show.json")" failed "status"
assert_eq "$(jq -r .exit_code "$T/show.json")" 2 "exit_code (make's, for a recipe that failed)"
assert_status 3 ssh_kiln logs app 1 -f
assert_file_contains "$T/out" "about to fail"

#!/usr/bin/env bash
# A reason quotes what the pusher wrote (here a target name in .kiln.yml);
# `kiln show` prints it with its control characters made visible, as `kiln
# logs` does, while build.json keeps the text as it was.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_file .kiln.yml 'targets: ["x\e[2Jy"]'
commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" skipped "status"
assert_eq "$(build_field app 1 reason)" "$(printf "Makefile has no target 'x\033[2Jy'")" "reason in build.json"

assert_status 0 ssh_kiln show app 1
assert_file_line "$T/out" "reason     Makefile has no target 'x^[[2Jy'"
assert_file_lacks "$T/out" "$(printf '\033')"

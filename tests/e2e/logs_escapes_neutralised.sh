#!/usr/bin/env bash
# Escape sequences a build prints (an OSC 52 clipboard write, a screen
# clear) reach neither the pusher's terminal nor that of `kiln logs` (or -f):
# both show them as ^[ and ^G. The log file keeps the bytes.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @printf 'clip \033]52;c;aGVsbG8=\a clear \033[2J bell \007 done\n'
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status"
shown='clip ^[]52;c;aGVsbG8=^G clear ^[[2J bell ^G done'
esc="$(printf '\033')"

step "the raw log keeps the bytes"
assert_file_line "$STATE_DIR/builds/app/1/log" "$(printf 'clip \033]52;c;aGVsbG8=\a clear \033[2J bell \007 done')"

step "the push stream"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$shown"
assert_file_lacks "$T/push.out" "$esc"

step "kiln logs, and kiln logs -f"
assert_status 0 ssh_kiln logs app 1
assert_file_line "$T/out" "$shown"
assert_file_lacks "$T/out" "$esc"
assert_status 0 ssh_kiln logs app 1 -f
assert_file_line "$T/out" "$shown"
assert_file_lacks "$T/out" "$esc"

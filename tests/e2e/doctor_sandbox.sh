#!/usr/bin/env bash
# `kiln doctor` says which sandbox builds run in: bubblewrap here; with
# `runner.sandbox: bubblewrap` and no bwrap on runner.path, a failing check
# whose fix installs it.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
need_cmd bwrap unshare
kiln_fixture

assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "ok   sandbox: bubblewrap"

step "runner.sandbox: none"
write_config "runner:" "  sandbox: none"
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "ok   sandbox: none (runner.sandbox: none)"

step "bubblewrap required, but not on runner.path"
mkdir -p "$T/path"
ln -s "$(command -v unshare)" "$T/path/unshare"
write_config "runner:" "  sandbox: bubblewrap" "  path: $T/path"
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL sandbox: runner.sandbox is bubblewrap, but it does not run here: starting the build's sandbox: 'bwrap' not found in PATH ($T/path); install it: apt-get install bubblewrap; fix: sudo apt-get install bubblewrap"

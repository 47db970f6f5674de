#!/usr/bin/env bash
# `ssh HOST kiln repos` lists the repositories over the sshd pushes use.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

ssh_kiln repos >"$T/repos.out"
assert_file_contains "$T/repos.out" "app"

#!/usr/bin/env bash
# A state_dir on a file system with less than 1 GiB free fails `kiln doctor`'s
# disk check, which says how much is free and how to free more.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/small_disk.sh"
kiln_fixture
state_dir_on_small_tmpfs 64m

assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL disk state_dir: $STATE_DIR has only 67MB free of 67MB (100%) (builds need 1 GiB and 5%); fix: free space there: old builds go with a lower runner.keep_builds, worktrees with rm -r $STATE_DIR/work"

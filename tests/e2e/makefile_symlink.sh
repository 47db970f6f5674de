#!/usr/bin/env bash
# A symlink named Makefile is one make reads through: it is built.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile rules.mk <<'MAKEFILE'
build:
    @echo built through a link
MAKEFILE
ln -s rules.mk "$CLONE/Makefile"
git -C "$CLONE" add Makefile
git -C "$CLONE" commit -q -m "Makefile is a symlink"
git_push origin main
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 1)"
assert_file_line "$T/remote" "built through a link"
assert_eq "$(build_field app 1 status)" success "status of the symlinked Makefile's build"

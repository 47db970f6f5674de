#!/usr/bin/env bash
# A file a build creates (untracked or ignored) is gone in the next build of
# the same (reused) worktree.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_file .gitignore "*.o"
commit_makefile <<'MAKEFILE'
build:
    @test ! -e leftover.txt || { echo leftover.txt survived; exit 1; }
    @test ! -e out.o || { echo out.o survived; exit 1; }
    touch leftover.txt out.o
    @echo workdir $$(pwd)
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status of #1"
push_commit
assert_eq "$(build_field app 2 status)" success "status of #2 (a leftover would fail it)"
dir1="$(sed -n 's/^workdir //p' "$STATE_DIR/builds/app/1/log")"
dir2="$(sed -n 's/^workdir //p' "$STATE_DIR/builds/app/2/log")"
assert_eq "$dir2" "$dir1" "worktree of #2 (workspace: reuse)"

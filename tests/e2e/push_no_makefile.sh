#!/usr/bin/env bash
# A push of a branch whose commit has no Makefile builds nothing and leaves
# no record: one line from the hook says so.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo built $$KILN_BRANCH
MAKEFILE
git_push origin HEAD:refs/heads/main
assert_eq "$(build_field app 1 status)" success "status of the build with a Makefile"

git -C "$CLONE" rm -q Makefile
git -C "$CLONE" commit -q -m "no Makefile"
sha="$(git -C "$CLONE" rev-parse HEAD)"
git_push origin HEAD:refs/heads/main
remote_lines >"$T/remote"
assert_eq "$(cat "$T/remote")" "[kiln] no Makefile in app main at ${sha:0:8}: nothing to build" "hook output"
assert_eq "$(ls "$STATE_DIR/builds/app")" 1 "build records of app"
[ -z "$(ls -A "$STATE_DIR/queue" 2>/dev/null)" ] || fail "a job was queued"

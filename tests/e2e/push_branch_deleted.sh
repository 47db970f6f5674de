#!/usr/bin/env bash
# A push that deletes a branch builds nothing, in one quiet line.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo built $$KILN_BRANCH
MAKEFILE
git_push -o ci.skip origin HEAD:refs/heads/feature

git_push origin :refs/heads/feature
remote_lines >"$T/remote"
assert_eq "$(cat "$T/remote")" "[kiln] refs/heads/feature deleted: nothing to build" "hook output"

#!/usr/bin/env bash
# A tag push is ignored with one quiet line.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_file README "hello"
git_push -o ci.skip origin main
git -C "$CLONE" tag v1
git_push origin v1
remote_lines >"$T/remote"
assert_file_line "$T/remote" "[kiln] refs/tags/v1 is a tag: not building"

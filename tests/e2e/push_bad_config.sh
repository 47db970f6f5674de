#!/usr/bin/env bash
# A pushed .kiln.yml with errors: the pusher sees each error with its
# FILE:LINE:COL, and the build (main is a default branch) fails on it.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo should not run
MAKEFILE
commit_file .kiln.yml $'targets: [build]\ntimeuot: 5m'
git_push origin main
short="$(git -C "$CLONE" rev-parse --short=8 HEAD)"
remote_lines >"$T/remote"
assert_file_contains "$T/remote" "[kiln] app.git@$short:.kiln.yml:2:1: unknown key 'timeuot'"
last="$(tail -n 1 "$T/remote")"
[[ "$last" =~ ^\[kiln\]\ app#1\ failed\ in\ [0-9]+s:\ invalid\ \.kiln\.yml$ ]] || fail "last line of the push: '$last'"
assert_file_lacks "$T/remote" "should not run"

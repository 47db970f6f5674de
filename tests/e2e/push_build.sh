#!/usr/bin/env bash
# A push builds: the pusher sees the queued line, make's output live and one
# final success line; `kiln show app last --json` over ssh agrees.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo "building $$KILN_REPO#$$KILN_BUILD at $$KILN_SHA"
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 1)"
assert_file_line "$T/remote" "building app#1 at $sha"
last="$(tail -n 1 "$T/remote")"
[[ "$last" =~ ^\[kiln\]\ app#1\ success\ in\ [0-9]+s$ ]] || fail "last line of the push: '$last'"

step "kiln show app last --json over ssh"
ssh_kiln show app last --json >"$T/show.json"
assert_eq "$(jq -r .status "$T/show.json")" success "status"
assert_eq "$(jq -r .number "$T/show.json")" 1 "number"
assert_eq "$(jq -r .sha "$T/show.json")" "$sha" "sha"
assert_eq "$(jq -r .branch "$T/show.json")" main "branch"
assert_eq "$(jq -r .exit_code "$T/show.json")" 0 "exit_code"

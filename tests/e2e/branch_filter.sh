#!/usr/bin/env bash
# A push of a branch that `branches` (from .kiln.yml in the pushed commit)
# does not select builds nothing; one that it selects builds.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_file .kiln.yml 'branches: [main, "release/*"]'
commit_makefile <<'MAKEFILE'
build:
    @echo built $$KILN_BRANCH
MAKEFILE
git_push origin HEAD:refs/heads/feature
remote_lines >"$T/remote"
assert_eq "$(cat "$T/remote")" "[kiln] branch 'feature' is not in branches (main, release/*): not building" "hook output"
[ ! -e "$STATE_DIR/builds/app" ] || fail "a build was made: $(ls "$STATE_DIR/builds/app")"
[ -z "$(ls -A "$STATE_DIR/queue" 2>/dev/null)" ] || fail "a job was queued"

git_push origin HEAD:refs/heads/release/1.0
assert_eq "$(build_field app 1 status)" success "status of the release build"
assert_eq "$(build_field app 1 branch)" release/1.0 "branch"


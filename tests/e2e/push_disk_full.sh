#!/usr/bin/env bash
# A push while the state dir's disk is full: the hook says the push cannot be
# recorded and how to build it later, the push itself succeeds, no build folder
# and no temp file is left, and the next push (space freed) gets the number
# the failed one did not burn.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/small_disk.sh"
kiln_app_fixture
state_dir_on_small_tmpfs 4m

commit_makefile <<'MAKEFILE'
build:
    @echo built $$KILN_SHA
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status of #1"

step "the disk is full: the push is accepted, nothing is recorded"
fill_state_dir
status=0
push_commit || status=$?
assert_eq "$status" 0 "exit status of git push"
sha="$(git -C "$CLONE" rev-parse HEAD)"
assert_eq "$(git --git-dir="$GIT_ROOT/app.git" rev-parse main)" "$sha" "main in the repository"
remote_lines >"$T/remote"
assert_eq "$(cat "$T/remote")" "[kiln] app main: cannot record this push: writing '$STATE_DIR/builds/app/2/build.json': No space left on device
[kiln] the commit is in the repository; once kiln can write to $STATE_DIR again, build it: $(ssh_hint kiln rebuild app "${sha:0:8}")" "hook output"
assert_eq "$(ls "$STATE_DIR/builds/app")" 1 "build folders of app"
[ -z "$(ls -A "$STATE_DIR/queue")" ] || fail "a job was queued: $(ls "$STATE_DIR/queue")"
[ -z "$(temp_files)" ] || fail "temp files were left: $(temp_files)"

step "space freed: the next push gets #2"
free_state_dir
push_commit
remote_lines >"$T/remote"
assert_file_line "$T/remote" "$(queued_line app 2)"
assert_eq "$(build_field app 2 status)" success "status of #2"
assert_eq "$(build_field app 2 sha)" "$(git -C "$CLONE" rev-parse HEAD)" "sha of #2"

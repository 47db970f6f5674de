#!/usr/bin/env bash
# A root entry named Makefile that make cannot read as a file (a directory, a
# submodule) queues nothing: one line from the hook, no build record.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

no_build_left() {
    [ ! -e "$STATE_DIR/builds/app" ] || fail "a build was recorded: $(ls "$STATE_DIR/builds/app")"
    [ -z "$(ls -A "$STATE_DIR/queue" 2>/dev/null)" ] || fail "a job was queued: $(ls "$STATE_DIR/queue")"
}

step "a directory named Makefile"
commit_makefile Makefile/rules.mk <<'MAKEFILE'
build:
    @echo built
MAKEFILE
sha="$(git -C "$CLONE" rev-parse HEAD)"
git_push origin main
remote_lines >"$T/remote"
assert_eq "$(cat "$T/remote")" "[kiln] no Makefile in app main at ${sha:0:8} (Makefile is a directory): nothing to build" "hook output"
no_build_left

step "a submodule named Makefile"
git -C "$CLONE" rm -q -r Makefile
git -C "$CLONE" update-index --add --cacheinfo "160000,$sha,Makefile"
git -C "$CLONE" commit -q -m "a submodule named Makefile"
sha="$(git -C "$CLONE" rev-parse HEAD)"
git_push origin main
remote_lines >"$T/remote"
assert_eq "$(cat "$T/remote")" "[kiln] no Makefile in app main at ${sha:0:8} (Makefile is a submodule): nothing to build" "hook output"
no_build_left


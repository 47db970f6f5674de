#!/usr/bin/env bash
# A registry that accepts connections and never answers cannot hold a build
# past its timeout.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/faulty_peer.sh"
faulty_peer_start silent
KILN_REGISTRY_URL="$PEER_URL"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
commit_file .kiln.yml $'timeout: 5s\nimage: {tags: [latest]}'
# Detached, so that a build that hangs fails the wait below instead of the push.
git_push -o kiln.detach origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
wait_for_status app 1 timeout 120
assert_eq "$(build_field app 1 reason)" "timed out after 5s" "reason"
assert_file_line "$STATE_DIR/builds/app/1/log" "[kiln] image failed: checking manifest app:$sha: deadline reached"
assert_file_line "$STATE_DIR/builds/app/1/log" "[kiln] timed out after 5s; the build was stopped"

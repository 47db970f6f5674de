#!/usr/bin/env bash
# A registry that accepts connections and never answers cannot hold a build
# past its timeout, and `kiln cancel` stops a build waiting on it.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/faulty_peer.sh"
faulty_peer_start silent
KILN_REGISTRY_URL="$PEER_URL"
kiln_app_fixture

step "timeout: 5s"
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

step "kiln cancel"
commit_file .kiln.yml $'timeout: 10m\nimage: {tags: [latest]}'
connections="$(faulty_peer_connections)"
git_push -o kiln.detach origin main
# The image step is waiting on the registry once it has connected.
wait_until 60 sh -c "[ \"\$(cat '$T/peer.port.count')\" -gt $connections ]" || fail "the image step never reached the registry"
ssh_kiln cancel app 2 >/dev/null
wait_for_status app 2 cancelled 60
assert_file_line "$STATE_DIR/builds/app/2/log" "[kiln] image failed: checking manifest app:$(git -C "$CLONE" rev-parse HEAD): cancelled"
assert_file_line "$STATE_DIR/builds/app/2/log" "[kiln] cancelled; the build was stopped"

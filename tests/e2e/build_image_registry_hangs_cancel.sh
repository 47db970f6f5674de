#!/usr/bin/env bash
# `kiln cancel` stops a build whose image step waits on a registry that
# accepts connections and never answers.
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
commit_file .kiln.yml $'timeout: 10m\nimage: {tags: [latest]}'
connections="$(faulty_peer_connections)"
git_push -o kiln.detach origin main
# The image step is waiting on the registry once it has connected.
wait_until 60 sh -c "[ \"\$(cat '$T/peer.port.count' 2>/dev/null || echo 0)\" -gt $connections ]" || fail "the image step never reached the registry"
ssh_kiln cancel app 1 >/dev/null
wait_for_status app 1 cancelled 60
assert_file_line "$STATE_DIR/builds/app/1/log" "[kiln] image failed: checking manifest app:$(git -C "$CLONE" rev-parse HEAD): cancelled"
assert_file_line "$STATE_DIR/builds/app/1/log" "[kiln] cancelled; the build was stopped"

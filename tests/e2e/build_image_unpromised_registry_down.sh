#!/usr/bin/env bash
# No .kiln.yml and the registry is down: a build that never promised an image
# is a success all the same, with one [kiln] line saying why no image was
# recorded (one attempt: it does not wait out the client's retries).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
registry_stop

commit_makefile <<'MAKEFILE'
build:
    @echo built, pushed nothing
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
why="checking manifest app:$sha: registry $REGISTRY_URL is not reachable: connection refused (check that the registry is running and that registry.url in the kiln config points at it)"

assert_eq "$(build_field app 1 status)" success "status"
assert_eq "$(build_field app 1 image)" "" "image in build.json"
assert_eq "$(build_field app 1 digest)" "" "digest in build.json"
last_remote_lines 2 >"$T/tail"
assert_eq "$(head -n 1 "$T/tail")" "[kiln] no image recorded: $why" "the registry line"
last="$(tail -n 1 "$T/tail")"
[[ "$last" =~ ^\[kiln\]\ app#1\ success\ in\ [0-9]+s$ ]] || fail "last line of the push: '$last'"
assert_eq "$(grep -c '^\[kiln\] no image recorded' "$STATE_DIR/builds/app/1/log")" 1 "registry lines in the log"

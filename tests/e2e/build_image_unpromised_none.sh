#!/usr/bin/env bash
# No .kiln.yml and a Makefile that pushes no image: kiln looks for $IMAGE,
# finds none, and the build is a plain success with no image and no word
# about it; nothing is tagged.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo built, pushed nothing
MAKEFILE
git_push origin main

assert_eq "$(build_field app 1 status)" success "status"
assert_eq "$(build_field app 1 image)" "" "image in build.json"
assert_eq "$(build_field app 1 digest)" "" "digest in build.json"
assert_eq "$(build_field app 1 reason)" "" "reason"
last="$(last_remote_lines 1)"
[[ "$last" =~ ^\[kiln\]\ app#1\ success\ in\ [0-9]+s$ ]] || fail "last line of the push: '$last'"
before="$(last_remote_lines 2 | head -n 1)"
[[ "$before" == "[kiln] make build done in "* ]] || fail "the line before the last: '$before'"
assert_file_lacks "$STATE_DIR/builds/app/1/log" "image"
assert_eq "$(registry_digest app:latest)" "" "no latest tag"

#!/usr/bin/env bash
# .kiln.yml promises an image, but make neither pushed $IMAGE nor set an
# archive: the build is failed, and the reason names the missing image.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
commit_makefile <<'MAKEFILE'
build:
    @echo built, pushed nothing
MAKEFILE
write_kiln_yml 'image: {tags: [latest]}'
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
reason="the Makefile did not push $REGISTRY_HOST/app:$sha (\$IMAGE), and .kiln.yml sets no image.archive; if the Makefile pushes a name of its own (a fixed name, or 'override IMAGE'), make it push \$(IMAGE)"

last="$(last_remote_lines 1)"
[[ "$last" == "[kiln] app#1 failed in "*": $reason" ]] || fail "last line of the push: '$last'"
ssh_kiln show app 1 --json >"$T/show.json"
assert_eq "$(jq -r .status "$T/show.json")" failed "status"
assert_eq "$(jq -r .reason "$T/show.json")" "$reason" "reason"
assert_eq "$(jq -r '.digest // ""' "$T/show.json")" "" "digest"
assert_file_line "$STATE_DIR/builds/app/1/log" "[kiln] image failed: $reason"
assert_eq "$(registry_digest app:latest)" "" "no latest tag"

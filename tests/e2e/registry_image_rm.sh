#!/usr/bin/env bash
# `kiln image rm --all-tags` (and its old name --force) deletes a tag's image
# with all its tags; a reference by digest does too.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
push_app_images

# v1's image is also tagged stable.
kiln image tag app:v1 stable >/dev/null
assert_status 0 kiln image rm --all-tags app:v1
assert_file_line "$T/out" "deleted $REGISTRY_HOST/app@$v1 (tags: stable, v1)"
assert_status 0 kiln image tags app
assert_eq "$(cat "$T/out")" "v2" "tags after rm --all-tags"
if skopeo inspect --tls-verify=false "docker://$REGISTRY_HOST/app:v1" >/dev/null 2>&1; then
    fail "app:v1 survived rm"
fi

# --force is the flag's old name.
kiln image tag app:v2 stable >/dev/null
assert_status 0 kiln image rm --force app:stable
assert_file_line "$T/out" "deleted $REGISTRY_HOST/app@$v2 (tags: stable, v2)"

assert_status 0 kiln image rm "team/web@$v2"
assert_file_line "$T/out" "deleted $REGISTRY_HOST/team/web@$v2 (tags: latest)"

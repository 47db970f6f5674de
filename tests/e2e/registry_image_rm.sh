#!/usr/bin/env bash
# `kiln image rm` refuses a tag that shares its image with another tag,
# unless --force, which deletes the image and all its tags.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
push_app_images

# v1's image is also tagged stable.
kiln image tag app:v1 stable >/dev/null

assert_status 2 kiln image rm app:v1
assert_file_line "$T/err" "kiln: error: removing $REGISTRY_HOST/app:v1: its image $v1 is also tagged stable, and the registry can only delete an image with all its tags; pass --force to remove all of them"
assert_eq "$(image_digest app:v1)" "$v1" "v1 still there"
assert_status 0 kiln image rm --force app:v1
assert_file_line "$T/out" "deleted $REGISTRY_HOST/app@$v1 (tags: stable, v1)"
assert_status 0 kiln image tags app
assert_eq "$(cat "$T/out")" "v2" "tags after rm"
if skopeo inspect --tls-verify=false "docker://$REGISTRY_HOST/app:v1" >/dev/null 2>&1; then
    fail "app:v1 survived rm"
fi

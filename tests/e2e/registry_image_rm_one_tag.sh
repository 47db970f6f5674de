#!/usr/bin/env bash
# `kiln image rm` of a tag whose image another tag also names removes that tag
# alone: the other tag still pulls, the removed one is gone.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
push_app_images
kiln image tag app:v1 stable >/dev/null

assert_status 0 kiln image rm app:v1
assert_file_line "$T/out" "untagged $REGISTRY_HOST/app:v1 (its image $v1 stays, tagged stable)"
assert_status 0 kiln image tags app
assert_eq "$(tr '\n' ' ' <"$T/out")" "stable v2 " "tags after rm"
if skopeo inspect --tls-verify=false "docker://$REGISTRY_HOST/app:v1" >/dev/null 2>&1; then
    fail "app:v1 survived rm"
fi
# The shared image pulls whole, layers and all.
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/app:stable" "oci:$T/pulled:stable" \
    || fail "app:stable does not pull after rm app:v1"
assert_eq "$(image_digest app:stable)" "$v1" "stable still names v1's image"

# Alone on its image now, stable goes with its image.
assert_status 0 kiln image rm app:stable
assert_file_line "$T/out" "deleted $REGISTRY_HOST/app@$v1 (tags: stable)"

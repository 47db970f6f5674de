#!/usr/bin/env bash
# `kiln image tag` copies the manifest to a new tag.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
push_app_images

assert_status 0 kiln image tag app:v1 stable
assert_file_line "$T/out" "$REGISTRY_HOST/app:stable $v1"
assert_eq "$(image_digest app:stable)" "$v1" "digest of the new tag"

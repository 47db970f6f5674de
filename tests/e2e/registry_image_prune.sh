#!/usr/bin/env bash
# `kiln image prune` keeps the newest N images and every image a kept tag names;
# --dry-run deletes nothing; --build-tags-only counts build tags only.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
images_build one
images_build two
image_push two app:v2

images_build three   # built last, so the newest `created`
image_push one app:1111111
image_push two app:2222222
image_push three app:3333333
image_push one app:old-alias      # a non-build tag on the oldest image
# Counting build tags only: 1111111 is beyond the newest two, but old-alias
# (not counted, so kept) names the same image, which therefore stays.
assert_status 0 kiln image prune app --keep 2 --dry-run --build-tags-only
assert_file_contains "$T/out" "keep    1111111"
assert_file_contains "$T/out" "keep (its image is also named by a kept tag)"
assert_file_line "$T/err" "would delete 0 image(s) from $REGISTRY_HOST/app"
assert_status 0 kiln image prune app --keep 2 --dry-run
assert_file_contains "$T/out" "delete  old-alias"
assert_file_contains "$T/out" "delete  1111111"
assert_file_line "$T/err" "would delete 1 image(s) from $REGISTRY_HOST/app"
assert_status 0 kiln image tags app
assert_eq "$(wc -l <"$T/out")" "5" "dry runs delete nothing"

# Without --build-tags-only every tag counts: the two newest images stay; v2
# shares its image with 2222222, so it stays too.
assert_status 0 kiln image prune app --keep 2
assert_file_contains "$T/err" "deleted 1 image(s) from $REGISTRY_HOST/app"
assert_status 0 kiln image tags app
assert_eq "$(cat "$T/out" | tr '\n' ' ')" "2222222 3333333 v2 " "tags after prune"
assert_status 1 kiln image prune app --keep 0
assert_file_line "$T/err" "kiln: error: pruning app: --keep must be at least 1"

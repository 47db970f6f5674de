#!/usr/bin/env bash
# kiln image ls|tags|inspect|tag|rm|prune against a real registry holding
# images built by buildah; skopeo confirms what kiln did.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
source "$(dirname "$0")/lib/registry_images.sh"

registry_start
config="$(registry_kiln_config)"
kiln() { "$KILN_BIN" --config "$config" "$@"; }

step "build and push two images"
images_build one
images_build two
image_push one app:v1
image_push two app:v2
image_push two team/web:latest
v1="$(image_digest app:v1)"
v2="$(image_digest app:v2)"

step "ls and tags"
assert_status 0 kiln image ls
assert_file_line "$T/out" "$(printf '%-32s %s' app 'v1, v2')"
assert_file_line "$T/out" "$(printf '%-32s %s' team/web latest)"
assert_status 0 kiln image ls --json
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$T/out")" \
    "[{'name': 'app', 'tags': ['v1', 'v2']}, {'name': 'team/web', 'tags': ['latest']}]" "ls --json"
assert_status 0 kiln image tags app
assert_eq "$(cat "$T/out")" "$(printf 'v1\nv2')" "tags"
assert_status 0 kiln image tags "$REGISTRY_HOST/app" --json
assert_file_contains "$T/out" "\"repository\": \"$REGISTRY_HOST/app\""

step "inspect names the digest skopeo sees, the platform and the creation time"
assert_status 0 kiln image inspect app:v1
assert_file_line "$T/out" "Digest:     $v1"
assert_file_line "$T/out" "Platform:   linux/amd64"
created="$(skopeo inspect --tls-verify=false --format '{{.Created}}' "docker://$REGISTRY_HOST/app:v1")"
[ -n "$created" ] || fail "skopeo shows no creation time"
assert_file_contains "$T/out" "Created:    ${created:0:10}"
assert_status 0 kiln image inspect "app@$v2" --json
assert_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["digest"], d["platform"], len(d["layers"]))' "$T/out")" \
    "$v2 linux/amd64 3" "inspect --json (3 layers)"
assert_status 2 kiln image inspect app:nope
assert_file_line "$T/err" "kiln: error: inspecting $REGISTRY_HOST/app:nope: $REGISTRY_HOST/app:nope does not exist"
assert_status 1 kiln image inspect App:v1
assert_file_contains "$T/err" "kiln: error: reading image reference 'App:v1': 'App' is not a valid repository name"

step "tag copies the manifest"
assert_status 0 kiln image tag app:v1 stable
assert_file_line "$T/out" "$REGISTRY_HOST/app:stable $v1"
assert_eq "$(image_digest app:stable)" "$v1" "digest of the new tag"

step "rm refuses a tag that shares its image, unless --force"
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

step "prune keeps the newest N tags and every image a kept tag names"
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

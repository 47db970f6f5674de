#!/usr/bin/env bash
# `kiln image inspect` names the digest skopeo sees, the platform and the
# creation time; a missing tag and a bad name say so.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
push_app_images

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

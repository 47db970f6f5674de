#!/usr/bin/env bash
# `kiln image ls` and `kiln image tags` list what the registry holds, as
# text and as JSON.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/image_commands.sh"
image_commands_fixture
push_app_images

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

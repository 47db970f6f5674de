#!/usr/bin/env bash
# `kiln image push` of a file that is not an image says so, exit 2.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/registry.sh"

registry_start
config="$(registry_kiln_config)"

echo "not an image" >"$T/junk.tar"
assert_status 2 "$KILN_BIN" -c "$config" image push "$T/junk.tar" "$REGISTRY_HOST/junk:v1"
assert_file_line "$T/err" "kiln: error: reading image archive '$T/junk.tar': not a tar file or an OCI layout directory"

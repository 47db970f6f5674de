#!/usr/bin/env bash
# `kiln image push --json` describes the push: media type, blob counts, the
# reference with its digest.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test image with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"

registry_start
config="$(registry_kiln_config)"
export XDG_CACHE_HOME="$T/cache"
images_build pushme
images_buildah push --quiet pushme "oci-archive:$T/oci.tar:pushme:latest" >/dev/null
# Pushed once before, so that every blob is already there.
assert_status 0 "$KILN_BIN" -c "$config" image push "$T/oci.tar" "$REGISTRY_HOST/oci-archive:v1"

assert_status 0 "$KILN_BIN" -c "$config" image push --json "$T/oci.tar" "$REGISTRY_HOST/oci-archive:v2"
python3 - "$T/out" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
assert result["media_type"] == "application/vnd.oci.image.manifest.v1+json", result
assert result["blobs"] == {"uploaded": 0, "skipped": 4, "mounted": 0}, result
assert result["reference"].endswith("@" + result["digest"]), result
PY

#!/usr/bin/env bash
# A registry that goes away in the middle of a push: kiln gives up with a
# clear error once its retries run out, and the next push, with the registry
# back, succeeds.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/registry.sh"
need_cmd python3 skopeo

registry_start
config="$(registry_kiln_config)"
export XDG_CACHE_HOME="$T/cache"

step "an OCI layout with two 150 MB layers"
python3 - "$T/layout" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "blobs", "sha256"))
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(root, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}
layers = [dict(blob(os.urandom(150 << 20)), mediaType="application/vnd.oci.image.layer.v1.tar+gzip") for _ in range(2)]
config = blob(json.dumps({"architecture": "amd64", "os": "linux",
                          "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]}}).encode())
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": dict(config, mediaType="application/vnd.oci.image.config.v1+json"),
                       "layers": layers}).encode()
entry = dict(blob(manifest), mediaType="application/vnd.oci.image.manifest.v1+json")
json.dump({"schemaVersion": 2, "manifests": [entry]}, open(os.path.join(root, "index.json"), "w"))
open(os.path.join(root, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
PY

step "the registry stops while the layers upload"
status=0
"$KILN_BIN" -c "$config" image push --jobs 1 "$T/layout" "$REGISTRY_HOST/down:v1" >"$T/out" 2>"$T/err" &
kiln_pid=$!
uploads="$T/registry/storage/docker/registry/v2/repositories/down/_uploads"
wait_until 30 test -d "$uploads" || fail "the push never started an upload"
registry_stop
wait "$kiln_pid" || status=$?
assert_eq "$status" 2 "exit status of the interrupted push"
assert_eq "$(cat "$T/out")" "" "stdout of the interrupted push"
assert_file_contains "$T/err" "kiln: error: "
assert_file_contains "$T/err" "$REGISTRY_HOST"
grep -q "^kiln: error: .*\(not reachable\|connection\|refused\)" "$T/err" || { cat "$T/err" >&2; fail "the error does not say the registry went away"; }

step "with the registry back, the next push succeeds"
registry_start
assert_status 0 "$KILN_BIN" -c "$config" image push "$T/layout" "$REGISTRY_HOST/down:v1"
digest="$(sed 's/.*@//' "$T/out")"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$REGISTRY_HOST/down:v1" | sha256sum | cut -d' ' -f1)" \
    "${digest#sha256:}" "digest the registry serves"

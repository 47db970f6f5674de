#!/usr/bin/env bash
# Benchmark (not a test): `kiln image push` against `skopeo copy` pushing the
# same OCI archive to the same local docker-registry.
#
#   bench/image_push.sh KILN_BIN [ROUNDS]     (default 5 rounds; needs ~3 GB in $TMPDIR)
#
# The image: 3 layers of ~67 MB random data each (so nothing compresses away),
# real gzip'd tars, written as an OCI archive by hand. Each round, in
# alternating order, each tool pushes it
#   cold: to a registry with empty storage (restarted per run, so no blob can
#         be found or mounted; kiln also gets an empty cache), then
#   warm: the same push again (every blob is there).
# Then kiln pushes a 1 GB layer under /usr/bin/time -v for its peak RSS.
# Prints every run and the medians. Wall times come from /usr/bin/time.
set -euo pipefail

KILN="${1:?usage: bench/image_push.sh KILN_BIN [ROUNDS]}"
ROUNDS="${2:-5}"
for tool in docker-registry skopeo python3 curl /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }
done

W="$(mktemp -d "${TMPDIR:-/tmp}/kiln-bench.XXXXXX")"
REGISTRY_PID=""
cleanup() {
    [ -z "$REGISTRY_PID" ] || { kill "$REGISTRY_PID" 2>/dev/null; wait "$REGISTRY_PID" 2>/dev/null; }
    rm -rf "$W"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
HOST="127.0.0.1:$PORT"

registry_fresh() {
    [ -z "$REGISTRY_PID" ] || { kill "$REGISTRY_PID"; wait "$REGISTRY_PID" 2>/dev/null || true; }
    rm -rf "$W/storage"
    cat >"$W/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $W/storage}, delete: {enabled: true}}
http: {addr: $HOST, secret: bench}
YAML
    docker-registry serve "$W/registry.yml" >>"$W/registry.log" 2>&1 &
    REGISTRY_PID=$!
    for _ in $(seq 100); do curl -fs -o /dev/null "http://$HOST/v2/" && return; sleep 0.1; done
    echo "bench: registry did not start" >&2; exit 1
}

# make_layout DIR LAYER_MB... : an OCI layout with one gzip'd tar layer per size.
make_layout() {
    python3 - "$@" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
root, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
os.makedirs(os.path.join(root, "blobs", "sha256"))
def blob(data, media_type):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(root, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}
layers, diff_ids = [], []
for i, mb in enumerate(sizes):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        info = tarfile.TarInfo("data/random-%d.bin" % i)
        info.size = mb << 20
        tar.addfile(info, io.BytesIO(os.urandom(info.size)))
    diff_ids.append("sha256:" + hashlib.sha256(raw.getvalue()).hexdigest())
    layers.append(blob(gzip.compress(raw.getvalue(), 1, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"))
config = blob(json.dumps({"architecture": "amd64", "os": "linux",
                          "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode(),
              "application/vnd.oci.image.config.v1+json")
manifest = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "config": config, "layers": layers}).encode(), "application/vnd.oci.image.manifest.v1+json")
manifest["annotations"] = {"org.opencontainers.image.ref.name": "bench"}
json.dump({"schemaVersion": 2, "manifests": [manifest]}, open(os.path.join(root, "index.json"), "w"))
open(os.path.join(root, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
PY
}

echo "bench: writing the 3 x 67 MB image as an OCI archive" >&2
make_layout "$W/image" 67 67 67
tar -C "$W/image" -cf "$W/image.tar" .
ARCHIVE_SIZE="$(stat -c %s "$W/image.tar")"

# timed LABEL COMMAND...: runs it under /usr/bin/time; appends "LABEL seconds max_rss_kb" to results.
timed() {
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o "$W/time" "$@" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
    echo "$label $(cat "$W/time")" | tee -a "$W/results" >&2
}

kiln_push() {  # kiln_push LABEL REPO CACHE
    timed "$1" env XDG_CACHE_HOME="$3" "$KILN" -c "$W/kiln.yaml" image push "$W/image.tar" "$HOST/$2:v1"
}
skopeo_push() {  # skopeo_push LABEL REPO
    timed "$1" skopeo copy --quiet --dest-tls-verify=false "oci-archive:$W/image.tar:bench" "docker://$HOST/$2:v1"
}
printf 'registry:\n  url: http://%s\nstate_dir: %s\n' "$HOST" "$W/state" >"$W/kiln.yaml"

for round in $(seq "$ROUNDS"); do
    order=(kiln skopeo)
    [ $((round % 2)) -eq 0 ] && order=(skopeo kiln)
    for tool in "${order[@]}"; do
        registry_fresh
        if [ "$tool" = kiln ]; then
            rm -rf "$W/cache"
            kiln_push kiln-cold "k$round" "$W/cache"
            kiln_push kiln-warm "k$round" "$W/cache"
        else
            skopeo_push skopeo-cold "s$round"
            skopeo_push skopeo-warm "s$round"
        fi
    done
done

echo "bench: writing a 1 GB layer" >&2
rm -rf "$W/image" "$W/image.tar"
make_layout "$W/big" 1024
registry_fresh
/usr/bin/time -v -o "$W/time-v" "$KILN" -c "$W/kiln.yaml" image push "$W/big" "$HOST/big:v1" >/dev/null
BIG_RSS="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/time-v")"
BIG_WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$W/time-v")"

python3 - "$W/results" "$ARCHIVE_SIZE" "$BIG_RSS" "$BIG_WALL" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, seconds, rss = line.split()
    runs.setdefault(label, []).append((float(seconds), int(rss)))
med = {label: statistics.median(s for s, _ in v) for label, v in runs.items()}
print("archive: %.0f MB, %d rounds" % (int(sys.argv[2]) / 1e6, len(runs["kiln-cold"])))
print("%-12s %8s %10s  %s" % ("run", "median s", "max RSS MB", "all runs (s)"))
for label in ("kiln-cold", "skopeo-cold", "kiln-warm", "skopeo-warm"):
    print("%-12s %8.2f %10.1f  %s" % (label, med[label], max(r for _, r in runs[label]) / 1024,
                                      " ".join("%.2f" % s for s, _ in runs[label])))
print("cold: kiln/skopeo = %.2f (target <= 0.8)" % (med["kiln-cold"] / med["skopeo-cold"]))
print("warm: kiln/skopeo = %.2f (target <= 0.5)" % (med["kiln-warm"] / med["skopeo-warm"]))
print("1 GB layer: kiln peak RSS %.1f MB (target < 64), wall %s" % (int(sys.argv[3]) / 1024, sys.argv[4]))
PY

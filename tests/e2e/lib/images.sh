# Sourced after common.sh by scenarios that need real images: built here by
# buildah (vfs storage under $T, chroot isolation: no daemon, no overlay) from
# a FROM scratch Dockerfile with busybox-static, one layer per instruction.
#
#   images_build NAME             builds image NAME (3 layers: busybox, a file, a RUN)
#   images_buildah ARGS...        buildah on the private storage
#   images_docker25 NAME DIR TAR  writes TAR as Docker 25 `docker save` does:
#                                 an OCI layout (uncompressed layers) plus
#                                 manifest.json and repositories

need_cmd buildah skopeo python3 tar
[ -x /bin/busybox ] || skip "needs /bin/busybox (busybox-static)"

images_buildah() {
    buildah --root "$T/buildah/root" --runroot "$T/buildah/run" --storage-driver vfs "$@"
}

images_build() {
    local name="$1" ctx="$T/ctx-$1"
    mkdir -p "$ctx"
    cp /bin/busybox "$ctx/busybox"
    echo "hello from $name" >"$ctx/hello.txt"
    cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
COPY hello.txt /hello.txt
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox date > /built.txt"]
DOCKERFILE
    # A RUN step re-executes buildah from a sealed memfd copy of itself; the
    # kernel now and then refuses the seal while the copy's pages are still
    # pinned ("sealing memfd copy: Device or resource busy"). That is a race in
    # buildah's start-up, not in what is built: one retry, for that error only.
    local err="$T/buildah-bud-$name.err"
    if images_buildah bud --quiet --layers --isolation chroot -t "$name" "$ctx" >/dev/null 2>"$err"; then
        return 0
    fi
    if ! grep -q 'sealing memfd copy: Device or resource busy' "$err"; then
        cat "$err" >&2
        return 1
    fi
    echo "images_build: buildah hit its memfd seal race; building $name again" >&2
    images_buildah bud --quiet --layers --isolation chroot -t "$name" "$ctx" >/dev/null
}

images_docker25() {
    local name="$1" dir="$2" tar="$3"
    images_buildah push --quiet --disable-compression "$name" "oci:$dir:$name:latest" >/dev/null
    python3 - "$dir" "$name" <<'PY'
import json, os, sys
layout, name = sys.argv[1], sys.argv[2]
def blob(digest):
    return os.path.join(layout, "blobs", *digest.split(":"))
index = json.load(open(os.path.join(layout, "index.json")))
entry = index["manifests"][0]
entry["annotations"] = {"io.containerd.image.name": "docker.io/library/%s:latest" % name,
                        "org.opencontainers.image.ref.name": "latest"}
index["mediaType"] = "application/vnd.oci.image.index.v1+json"
json.dump(index, open(os.path.join(layout, "index.json"), "w"))
manifest = json.load(open(blob(entry["digest"])))
json.dump([{"Config": "blobs/sha256/" + manifest["config"]["digest"][7:],
            "RepoTags": [name + ":latest"],
            "Layers": ["blobs/sha256/" + layer["digest"][7:] for layer in manifest["layers"]]}],
          open(os.path.join(layout, "manifest.json"), "w"))
json.dump({name: {"latest": entry["digest"][7:]}}, open(os.path.join(layout, "repositories"), "w"))
PY
    tar -C "$dir" -cf "$tar" .
}

#!/usr/bin/env bash
# `kiln image push` takes each archive kind a build can leave (OCI archive,
# docker save, OCI layout directory, Docker 25 docker save); the registry then
# serves the digest kiln printed, and skopeo copies the image back out; the
# OCI archive and layout are pushed byte for byte.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test image with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"

registry_start
config="$(registry_kiln_config)"
export XDG_CACHE_HOME="$T/cache"

step "building a 3-layer image with buildah"
images_build pushme
images_buildah push --quiet pushme "oci-archive:$T/oci.tar:pushme:latest" >/dev/null
images_buildah push --quiet pushme "docker-archive:$T/docker.tar:pushme:latest" >/dev/null
images_buildah push --quiet pushme "oci:$T/layout:pushme:latest" >/dev/null
images_docker25 pushme "$T/docker25" "$T/docker25.tar"

# push_and_check ARCHIVE REPO EXPECTED_MEDIA_TYPE
push_and_check() {
    local archive="$1" repo="$2" media_type="$3" pushed digest
    step "pushing $archive to $repo"
    assert_status 0 "$KILN_BIN" -c "$config" image push "$archive" "$REGISTRY_HOST/$repo:v1"
    assert_eq "$(wc -l <"$T/out")" 1 "lines on stdout"
    pushed="$(cat "$T/out")"
    [[ "$pushed" == "$REGISTRY_HOST/$repo:v1@sha256:"* ]] || fail "unexpected output '$pushed'"
    assert_eq "$(cat "$T/err")" "" "stderr when piped"
    digest="${pushed##*@}"
    skopeo inspect --tls-verify=false --raw "docker://$REGISTRY_HOST/$repo:v1" >"$T/raw-$repo"
    assert_eq "sha256:$(sha256sum <"$T/raw-$repo" | cut -d' ' -f1)" "$digest" "digest of the manifest skopeo reads"
    skopeo inspect --tls-verify=false "docker://$REGISTRY_HOST/$repo:v1" >"$T/inspect-$repo"
    assert_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])' <"$T/inspect-$repo")" "$digest" \
        "skopeo inspect Digest"
    assert_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["mediaType"])' <"$T/raw-$repo")" "$media_type" \
        "manifest media type"
    python3 -c 'import json,sys; layers = json.load(sys.stdin)["layers"]; assert len(layers) == 3, layers
assert all(l["mediaType"].endswith("gzip") for l in layers), layers' <"$T/raw-$repo"
    skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/$repo:v1" "dir:$T/copy-$repo"
    [ -s "$T/copy-$repo/manifest.json" ] || fail "skopeo copied no manifest out of $repo"
}

push_and_check "$T/oci.tar" oci-archive application/vnd.oci.image.manifest.v1+json
push_and_check "$T/docker.tar" docker-archive application/vnd.docker.distribution.manifest.v2+json
push_and_check "$T/layout" oci-layout application/vnd.oci.image.manifest.v1+json
push_and_check "$T/docker25.tar" docker25 application/vnd.oci.image.manifest.v1+json

step "the OCI archive and layout are pushed byte for byte"
assert_eq "$(cat "$T/raw-oci-archive")" "$(cat "$T/raw-oci-layout")" "OCI archive and layout manifests"
layout_manifest="$(python3 -c 'import json; print(json.load(open("'"$T"'/layout/index.json"))["manifests"][0]["digest"])')"
assert_eq "sha256:$(sha256sum <"$T/raw-oci-layout" | cut -d' ' -f1)" "$layout_manifest" "layout manifest digest"

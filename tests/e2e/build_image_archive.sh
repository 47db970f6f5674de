#!/usr/bin/env bash
# A build whose Makefile writes an OCI archive with buildah (examples/app, its
# buildah variant, run by the test user without a daemon): kiln pushes it as
# app:<sha>, tags latest and the branch, and keeps only the 2 newest build
# tags; the pusher sees the image line, build.json and the registry agree.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
copy_example_app
write_kiln_yml 'env:
  BUILDER: buildah
image:
  archive: out/image.tar
  tags: [latest, "{branch}"]
  keep: 2'

# push_site N: changes the site and pushes; sets sha and digest from build N.
push_site() {
    echo "<p>version $1</p>" >>"$CLONE/site/index.html"
    git -C "$CLONE" commit -q -am "version $1"
    git_push origin main
    sha="$(git -C "$CLONE" rev-parse HEAD)"
    digest="$(build_field app "$1" digest)"
    [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "build $1 recorded digest '$digest'"
}

step "the first push builds, pushes, tags"
push_site 1
sha1="$sha"
image="$REGISTRY_HOST/app:$sha"
last_remote_lines 2 >"$T/tail"
assert_eq "$(head -n 1 "$T/tail")" "[kiln] image $image $digest" "the image line"
last="$(tail -n 1 "$T/tail")"
[[ "$last" == "[kiln] app#1 success in "*", image $image, digest $digest" ]] || fail "last line of the push: '$last'"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "[kiln] pushing out/image.tar to $image"
assert_file_line "$T/remote" "[kiln] tagged $REGISTRY_HOST/app:latest"
assert_file_line "$T/remote" "[kiln] tagged $REGISTRY_HOST/app:main"

ssh_kiln show app last --json >"$T/show.json"
assert_eq "$(jq -r .status "$T/show.json")" success "status"
assert_eq "$(jq -r .image "$T/show.json")" "$image" "image in build.json"
assert_eq "$(jq -r .digest "$T/show.json")" "$digest" "digest in build.json"
assert_eq "$(registry_digest app:latest)" "$digest" "skopeo: app:latest"
assert_eq "$(registry_digest app:main)" "$digest" "skopeo: app:main"
assert_eq "$(registry_digest "app:$sha")" "$digest" "skopeo: app:<sha>"
assert_eq "$(registry_tags app)" "$(printf '%s\n' latest main "$sha" | sort | xargs)" "tags after one build"

step "two more pushes: keep 2 leaves the 2 newest build tags"
push_site 2
sha2="$sha"
push_site 3
remote_lines >"$T/remote"
assert_file_line "$T/remote" "[kiln] pruned 1 old image of app (image.keep 2)"
assert_eq "$(registry_tags app)" "$(printf '%s\n' latest main "$sha2" "$sha" | sort | xargs)" "tags after three builds"
assert_eq "$(registry_digest "app:$sha1")" "" "the oldest build's image is gone"
assert_eq "$(registry_digest app:latest)" "$digest" "latest names the newest build"
assert_eq "$(registry_digest app:main)" "$digest" "main names the newest build"
assert_eq "$(registry_digest "app:$sha2")" "$(build_field app 2 digest)" "the second build's image is kept"

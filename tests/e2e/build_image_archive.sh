#!/usr/bin/env bash
# A build whose Makefile writes an OCI archive with buildah (examples/app, its
# buildah variant, run by the test user without a daemon): kiln pushes it as
# app:<sha> and tags latest and the branch; the pusher sees the image line,
# build.json and the registry agree.
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

step "the first push builds, pushes, tags"
push_site 1
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

#!/usr/bin/env bash
# image.keep: after each build kiln keeps only the N newest build tags of the
# repo's images; the tags in image.tags still name the newest build.
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

push_site 1
sha1="$sha"
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

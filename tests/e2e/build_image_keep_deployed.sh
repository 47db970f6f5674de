#!/usr/bin/env bash
# image.keep never deletes an image a deploy host reported running, however
# many newer images came after it.
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
  tags: [latest]
  keep: 1'

push_site 1
digest_running="$digest"; sha_running="$sha"
# As the repo's owner on the box, as kiln watch --report does over ssh.
kiln_as_user deployed app "$digest_running" --host h --status deployed --exit 0 >/dev/null
push_site 2
sha2="$sha"
push_site 3
assert_eq "$(registry_digest "app:$sha_running")" "$digest_running" "the running image is kept"
assert_eq "$(registry_digest "app:$sha2")" "" "build 2's image, neither newest nor running, is gone"
assert_eq "$(registry_digest "app:$sha")" "$digest" "the newest image is kept"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/app:$sha_running" "oci:$T/pulled:running" \
    || fail "the running image does not pull"

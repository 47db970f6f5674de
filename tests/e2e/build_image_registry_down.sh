#!/usr/bin/env bash
# The registry is down for the whole image step: after the client's retries
# the build is failed with the registry's reason, and nothing hangs.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
copy_example_app
write_kiln_yml 'env: {BUILDER: buildah}
image: {archive: out/image.tar}'
registry_stop
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
reason="contacting registry $REGISTRY_URL: registry $REGISTRY_URL is not reachable: connection refused (check that the registry is running and that registry.url in the kiln config points at it)"

assert_build_failed "$reason"
assert_eq "$(build_field app 1 image)" "$REGISTRY_HOST/app:$sha" "image"
assert_eq "$(build_field app 1 digest)" "" "digest"

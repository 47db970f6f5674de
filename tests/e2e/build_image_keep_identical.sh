#!/usr/bin/env bash
# image.keep counts images, not tags: pushes that change only a file outside
# the image (README) build the same digest again and again, and the last
# different image stays for a rollback; an older one goes.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
copy_example_app
commit_reproducible_makefile
write_kiln_yml 'image: {archive: out/image.tar, tags: [latest], keep: 2}'

push_site 1
digest_old="$digest"; sha_old="$sha"
push_site 2
digest_a="$digest"; sha_a="$sha"
[ "$digest_a" != "$digest_old" ] || fail "a changed site built the same image"
push_site 3
digest_b="$digest"
for n in 4 5 6; do
    step "push $n: the README only"
    echo "readme $n" >>"$CLONE/README"
    git -C "$CLONE" add README
    git -C "$CLONE" commit -q -m "readme $n"
    git_push origin main
    assert_eq "$(build_field app "$n" status)" success "status of build $n"
done
sha_b="$(git -C "$CLONE" rev-parse HEAD)"
for n in 4 5 6; do
    assert_eq "$(build_field app "$n" digest)" "$digest_b" "README push $n builds the image of build 3"
done

# Two images kept: the newest (builds 3 to 6) and A, the last different one.
assert_eq "$(registry_digest "app:$sha_a")" "$digest_a" "A, the last different image, is kept"
assert_eq "$(registry_digest "app:$sha_b")" "$digest_b" "the newest image is kept"
assert_eq "$(registry_digest "app:$sha_old")" "" "the image before A is gone"
assert_eq "$(registry_digest app:latest)" "$digest_b" "latest"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/app:$sha_a" "oci:$T/pulled:a" \
    || fail "A does not pull"

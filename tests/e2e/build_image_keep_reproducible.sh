#!/usr/bin/env bash
# image.keep with reproducible images (`buildah bud --timestamp 0`: every image
# says it was created in 1970, so creation times cannot order them): the
# image the build just pushed is never the one pruned.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
build_image_fixture
copy_example_app
commit_reproducible_makefile
# No other tag protects the newest image: only keep does.
write_kiln_yml 'image: {archive: out/image.tar, tags: [], keep: 1}'

for n in 1 2 3 4; do
    step "push $n"
    echo "<p>version $n</p>" >>"$CLONE/site/index.html"
    git -C "$CLONE" commit -q -am "version $n"
    git_push origin main
    sha="$(git -C "$CLONE" rev-parse HEAD)"
    assert_eq "$(build_field app "$n" status)" success "status of build $n"
    digest="$(build_field app "$n" digest)"
    assert_eq "$(registry_tags app)" "$sha" "tags after build $n"
    assert_eq "$(registry_digest "app:$sha")" "$digest" "app:<sha> of build $n"
done
created="$(skopeo inspect --tls-verify=false --format '{{.Created}}' "docker://$REGISTRY_HOST/app:$sha")"
[[ "$created" == "1970-01-01 00:00:00 +0000 UTC" ]] || fail "the images were meant to be dated 1970, not '$created'"

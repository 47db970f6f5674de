# Sourced after common.sh, ssh.sh and registry.sh by the build_image_* and
# build_notify* scenarios: pushes over the real sshd whose builds make images
# (buildah as the test user: vfs storage, chroot isolation) that land in the
# real registry.
#
#   build_image_fixture      registry + kiln_app_fixture, kiln's registry.url = the test registry
#   copy_example_app         examples/app (Makefile, Dockerfile, site) into $CLONE, committed
#   write_kiln_yml YAML      writes $CLONE/.kiln.yml and commits it
#   commit_reproducible_makefile  a Makefile building out/image.tar with
#                            `buildah bud --timestamp 0`: the same files give
#                            the same image, byte for byte
#   push_site N              changes examples/app's site and pushes; sets sha
#                            and digest from build N (which must record one)
#   registry_tags NAME       the tags of NAME in the registry, sorted, space-separated
#   registry_digest REF      the digest skopeo sees for $REGISTRY_HOST/REF ("" when absent)
#   last_remote_lines N      the last N lines the hook printed, for exact checks
#   assert_build_failed REASON  app#1 failed with REASON: the push's last line and build.json say so

need_cmd buildah skopeo jq
[ -x /bin/busybox ] || skip "needs /bin/busybox (busybox-static)"

build_image_fixture() {
    registry_start
    KILN_REGISTRY_URL="$REGISTRY_URL"
    kiln_app_fixture
    # Rootless buildah keeps its run state under /var/tmp/containers-user-<uid>;
    # a later test user may get the same uid.
    on_exit rm -rf "/var/tmp/containers-user-$(id -u "$KILN_USER")"
}

copy_example_app() {
    cp -R "${KILN_SOURCE_DIR:-$(dirname "$0")/../..}/examples/app/." "$CLONE/"
    rm -f "$CLONE/.kiln.yml" "$CLONE/buildah.kiln.yml"
    git -C "$CLONE" add -A
    git -C "$CLONE" commit -q -m "the example app"
}

write_kiln_yml() {
    printf '%s\n' "$1" >"$CLONE/.kiln.yml"
    git -C "$CLONE" add .kiln.yml
    git -C "$CLONE" commit -q -m ".kiln.yml"
}

commit_reproducible_makefile() {
    commit_makefile <<'MAKEFILE'
BUILDAH = buildah --storage-driver vfs

build: busybox
    mkdir -p out
    $(BUILDAH) bud --quiet --isolation chroot --timestamp 0 -t localhost/app-build .
    $(BUILDAH) push --quiet localhost/app-build oci-archive:out/image.tar

busybox:
    cp /bin/busybox $@
MAKEFILE
}

push_site() {
    echo "<p>version $1</p>" >>"$CLONE/site/index.html"
    git -C "$CLONE" commit -q -am "version $1"
    git_push origin main
    sha="$(git -C "$CLONE" rev-parse HEAD)"
    digest="$(build_field app "$1" digest)"
    [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "build $1 recorded digest '$digest'"
}

registry_tags() {
    skopeo list-tags --tls-verify=false "docker://$REGISTRY_HOST/$1" | jq -r '.Tags | sort | join(" ")'
}

registry_digest() {
    skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REGISTRY_HOST/$1" 2>/dev/null || true
}

last_remote_lines() { remote_lines | tail -n "$1"; }

assert_build_failed() {
    local last
    last="$(last_remote_lines 1)"
    [[ "$last" == "[kiln] app#1 failed in "*": $1" ]] || fail "last line of the push: '$last'"
    assert_eq "$(build_field app 1 status)" failed "status"
    assert_eq "$(build_field app 1 reason)" "$1" "reason"
}

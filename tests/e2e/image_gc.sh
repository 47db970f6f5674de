#!/usr/bin/env bash
# `kiln image gc` frees the disk deleted images leave, and every tagged image
# still pulls. The registry is one kiln manages, through a restart script as
# install.sh's. While the gc holds the registry read-only, a push through kiln
# waits for it (its log says so) and then builds, and a push straight to the
# registry fails with the registry's refusal.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
need_root

registry_managed_start

KILN_REGISTRY_URL="$REGISTRY_URL"
kiln_app_fixture
on_exit rm -rf "/var/tmp/containers-user-$(id -u "$KILN_USER")"
write_config "  gc:" "    config: $T/registry/config.yml" "    restart: $REGISTRY_RESTART"
gc_kiln() { "$KILN" --config "$KILN_CONFIG_FILE" "$@"; }
copy_example_app
write_kiln_yml 'env:
  BUILDER: buildah
image:
  archive: out/image.tar
  tags: [latest]'
push_site 1
sha1="$sha"
push_site 2
sha2="$sha"
push_site 3
gc_kiln image rm "app:$sha1" >/dev/null
gc_kiln image rm "app:$sha2" >/dev/null
config_sum="$(sha256sum <"$T/registry/config.yml")"
before="$(du -sb "$T/registry/storage" | cut -f1)"

step "gc --dry-run"
assert_status 0 gc_kiln image gc --dry-run
[[ "$(cat "$T/out")" =~ ^dry\ run:\ [0-9]+\ blobs\ marked,\ [1-9][0-9]*\ blobs\ and\ [0-9]+\ manifests\ eligible\ for\ deletion ]] \
    || fail "gc --dry-run printed '$(cat "$T/out")'"
assert_eq "$(du -sb "$T/registry/storage" | cut -f1)" "$before" "storage after a dry run"
assert_eq "$(cat "$T/restarts")" "" "restarts in a dry run"

step "gc, held read-only"
touch "$T/hold"
gc_kiln image gc >"$T/gc.out" 2>"$T/gc.err" &
gc_pid=$!
wait_until 60 test -e "$T/held" || fail "the gc never restarted the registry read-only: $(cat "$T/gc.err")"
wait_until 15 curl -fs -o /dev/null "$REGISTRY_URL/v2/" || fail "the read-only registry does not answer"

# Straight to the registry: refused, and skopeo says why.
if skopeo copy --src-tls-verify=false --dest-tls-verify=false "docker://$REGISTRY_HOST/app:latest" \
    "docker://$REGISTRY_HOST/direct:v1" >"$T/direct.out" 2>&1; then
    fail "a push to the read-only registry succeeded"
fi
assert_file_contains "$T/direct.out" "StatusCode: 405, Method not allowed"

# Through kiln: the build waits for the gc.
echo "<p>version 4</p>" >>"$CLONE/site/index.html"
git -C "$CLONE" commit -q -am "version 4"
git -C "$CLONE" push origin main >"$T/push4.out" 2>&1 &
push_pid=$!
log_waits() { grep -qxF "[kiln] waiting for kiln image gc to finish" "$STATE_DIR/builds/app/4/log" 2>/dev/null; }
wait_until 60 log_waits || fail "build 4 does not say it waits for the gc"
assert_eq "$(build_field app 4 status)" running "build 4 while the gc holds the registry"

step "gc, let go"
rm "$T/hold"
wait "$gc_pid" || { cat "$T/gc.err" >&2; fail "kiln image gc failed"; }
after="$(du -sb "$T/registry/storage" | cut -f1)"
[ "$after" -lt "$before" ] || fail "gc freed nothing: $before bytes before, $after after"
line="$(cat "$T/gc.out")"
[[ "$line" =~ ^freed\ ([0-9]+)\ bytes\ \(.+\ →\ .+\)$ ]] || fail "gc printed '$line'"
[ "${BASH_REMATCH[1]}" -gt 0 ] || fail "gc says it freed 0 bytes"
assert_eq "$(tr '\n' ' ' <"$T/restarts")" "read-only writable " "the restarts the gc made"
assert_eq "$(sha256sum <"$T/registry/config.yml")" "$config_sum" "the registry's config after gc"
[ ! -e "$T/registry/config.yml.kiln-gc-original" ] || fail "the gc left its copy of the config"

wait "$push_pid" || { cat "$T/push4.out" >&2; fail "the push during gc failed"; }
assert_eq "$(build_field app 4 status)" success "build 4 after the gc"
assert_file_contains "$T/push4.out" "remote: [kiln] waiting for kiln image gc to finish"

step "every tag pulls"
for tag in $(registry_tags app); do
    skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/app:$tag" "oci:$T/pulled:$tag" \
        || fail "app:$tag does not pull after gc"
done
assert_eq "$(registry_digest "app:$sha1")" "" "the deleted image"

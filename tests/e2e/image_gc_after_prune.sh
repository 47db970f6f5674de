#!/usr/bin/env bash
# registry.gc.after_prune: after a build whose image.keep deleted an image,
# the runner collects the registry's garbage itself and logs what it freed.
# The runner needs rights over the registry's config, storage and process, so
# here the build user runs the registry.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/build_image.sh"
need_root

KILN_REGISTRY_URL="$REGISTRY_URL"
kiln_app_fixture
on_exit rm -rf "/var/tmp/containers-user-$(id -u "$KILN_USER")"
registry_managed_start "$KILN_USER"

write_config "  gc:" "    config: $T/registry/config.yml" "    restart: $REGISTRY_RESTART" "    after_prune: true"
copy_example_app
write_kiln_yml 'env:
  BUILDER: buildah
image:
  archive: out/image.tar
  tags: [latest]
  keep: 1'
push_site 1
sha1="$sha"
push_site 2
assert_file_contains "$T/push.out" "[kiln] pruned 1 old image of app (image.keep 1)"
gc_logged() { grep -q "gc why=after_prune freed=" "$STATE_DIR/runner.log"; }
wait_until 120 gc_logged || { cat "$STATE_DIR/runner.log" >&2; fail "the runner logged no gc"; }
line="$(grep "gc why=after_prune freed=" "$STATE_DIR/runner.log")"
[[ "$line" =~ freed=([0-9]+)\ before=([0-9]+)\ after=([0-9]+) ]] || fail "gc line '$line'"
[ "${BASH_REMATCH[1]}" -gt 0 ] || fail "the runner's gc freed nothing: $line"
assert_eq "$(registry_digest "app:$sha1")" "" "the pruned image"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/app:latest" "oci:$T/pulled:latest" \
    || fail "app:latest does not pull after the runner's gc"

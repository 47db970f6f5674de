#!/usr/bin/env bash
# A `kiln image gc` stopped by SIGTERM while the registry is read-only puts
# the registry's config back and restarts it writable before it exits; it
# collects nothing.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
source "$(dirname "$0")/lib/registry_images.sh"
registry_managed_start
mkdir -p "$T/state"
config="$T/kiln.yaml"
printf 'state_dir: %s\nregistry:\n  url: %s\n  gc:\n    config: %s\n    restart: %s\n' \
    "$T/state" "$REGISTRY_URL" "$T/registry/config.yml" "$REGISTRY_RESTART" >"$config"
kiln() { "$KILN_BIN" --config "$config" "$@"; }
images_build one
images_build two
image_push one app:v1
image_push two app:v2
kiln image rm app:v1 >/dev/null
config_sum="$(sha256sum <"$T/registry/config.yml")"
before="$(du -sb "$T/registry/storage" | cut -f1)"

touch "$T/hold"
# Not through the function: $! must be kiln itself.
"$KILN_BIN" --config "$config" image gc >"$T/gc.out" 2>"$T/gc.err" &
gc_pid=$!
wait_until 60 test -e "$T/held" || fail "the gc never restarted the registry read-only: $(cat "$T/gc.err")"
kill -TERM "$gc_pid"
rm "$T/hold"
status=0
wait "$gc_pid" || status=$?
assert_eq "$status" 2 "exit status of the stopped gc"
assert_file_line "$T/gc.err" "kiln: error: collecting garbage: stopped by a signal; the registry is put back as it was"
assert_eq "$(tr '\n' ' ' <"$T/restarts")" "read-only writable " "the restarts the gc made"
assert_eq "$(sha256sum <"$T/registry/config.yml")" "$config_sum" "the registry's config"
[ ! -e "$T/registry/config.yml.kiln-gc-original" ] || fail "the gc left its copy of the config"
assert_eq "$(du -sb "$T/registry/storage" | cut -f1)" "$before" "the storage (nothing collected)"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$REGISTRY_URL/v2/app/blobs/uploads/")"
assert_eq "$code" 202 "an upload start (the registry takes writes again)"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY_HOST/app:v2" "oci:$T/pulled:v2" || fail "app:v2 does not pull"

# Sourced after common.sh by the registry_image_* scenarios: kiln image
# commands against the test registry, holding images buildah built; skopeo
# confirms what kiln did. Sources registry.sh, images.sh and
# registry_images.sh itself.
#
#   image_commands_fixture  starts the registry; sets $config (kiln's config for it)
#   kiln ARGS...            the kiln under test with that config
#   push_app_images         builds images one and two and pushes app:v1 (one),
#                           app:v2 and team/web:latest (two); sets $v1 and $v2,
#                           their digests

[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "${BASH_SOURCE[0]}")/registry.sh"
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/registry_images.sh"

image_commands_fixture() {
    registry_start
    config="$(registry_kiln_config)"
}

kiln() { "$KILN_BIN" --config "$config" "$@"; }

push_app_images() {
    images_build one
    images_build two
    image_push one app:v1
    image_push two app:v2
    image_push two team/web:latest
    v1="$(image_digest app:v1)"
    v2="$(image_digest app:v2)"
}

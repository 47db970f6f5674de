# Sourced after common.sh by the watch_* scenarios: `kiln watch` against the
# test registry, its command appending to a file of runs. Sources
# registry.sh, images.sh and registry_images.sh itself.
#
#   watch_fixture   starts the registry, pushes image one as app:latest; sets
#                   $config (kiln's config for it), $d1 (that digest) and
#                   exports RUNS, the file the watched command writes to
#   runs            how many times the watched command has run
#   runs_are N      for wait_until, which must re-count on every poll
#   stop_pid PID    stops a background kiln watch at exit (on_exit stop_pid PID)

[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "${BASH_SOURCE[0]}")/registry.sh"
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/registry_images.sh"

watch_fixture() {
    registry_start
    config="$(registry_kiln_config)"
    images_build one
    image_push one app:latest
    d1="$(image_digest app:latest)"
    export RUNS="$T/runs"
}

runs() { if [ -f "$RUNS" ]; then wc -l <"$RUNS"; else echo 0; fi; }
runs_are() { [ "$(runs)" -eq "$1" ]; }
stop_pid() { kill "$1" 2>/dev/null || true; }

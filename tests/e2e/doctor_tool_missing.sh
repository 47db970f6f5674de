#!/usr/bin/env bash
# A repo whose Makefile defaults BUILDER to buildah (as examples/app's does
# with docker), on a box whose runner.path has no buildah: `kiln doctor`
# names the tool, where it looked, the repo that needs it and the package.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

# Builds see runner.path alone: one holding git and make but no buildah.
mkdir -p "$T/path"
ln -s "$(runner_path_tool git)" "$T/path/git"
ln -s "$(runner_path_tool make)" "$T/path/make"
write_config "runner:" "  path: $T/path"
git -C "$CLONE" rm -q .kiln.yml
commit_makefile <<'MAKEFILE'
BUILDER ?= buildah
build:
    @echo built with $(BUILDER)
MAKEFILE
git_push origin main
wait_for_status app 2 success
sha="$(git -C "$CLONE" rev-parse HEAD)"

assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "ok   repo app: config at ${sha:0:8} (HEAD) is valid; builds with buildah (Makefile's default BUILDER)"
assert_file_line "$T/out" "ok   git: $T/path/git"
assert_file_line "$T/out" "FAIL buildah: not found on runner.path ($T/path), used by app; fix: sudo apt-get install buildah"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

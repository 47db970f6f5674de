#!/usr/bin/env bash
# The build's environment: PATH from runner.path, the build user's USER,
# LOGNAME and SHELL, HOME the repo's own in the sandbox (state/home/app), LANG=C.UTF-8, defaults.env, the documented KILN_*
# variables; none of the hook's GIT_* variables (GIT_DIR above all).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
write_config "runner:" "  path: /opt/kiln-tools/bin:/usr/bin:/bin" "defaults:" "  env: {TZ: Europe/Berlin}"

commit_makefile <<'MAKEFILE'
build:
    @echo "git vars: $$(env | grep -c ^GIT_ || true)"
    @echo "GIT_DIR=$${GIT_DIR-unset}"
    @echo "KILN: $$KILN_REPO $$KILN_BRANCH $$KILN_REF $$KILN_BUILD $$KILN_SHA"
    @echo "PATH=$$PATH"
    @echo "user: $$HOME $$USER $$LOGNAME $$SHELL"
    @echo "LANG=$$LANG TZ=$$TZ TMPDIR=$${TMPDIR-unset}"
    @echo "images: $$REGISTRY $$IMAGE"
MAKEFILE
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
log="$STATE_DIR/builds/app/1/log"
assert_eq "$(build_field app 1 status)" success "status"
assert_file_line "$log" "git vars: 0"
assert_file_line "$log" "GIT_DIR=unset"
assert_file_line "$log" "KILN: app main refs/heads/main 1 $sha"
assert_file_line "$log" "PATH=/opt/kiln-tools/bin:/usr/bin:/bin"
assert_file_line "$log" "user: $STATE_DIR/home/app $KILN_USER $KILN_USER /bin/bash"
assert_file_line "$log" "LANG=C.UTF-8 TZ=Europe/Berlin TMPDIR=unset"
assert_file_line "$log" "images: 127.0.0.1:5000 127.0.0.1:5000/app:$sha"

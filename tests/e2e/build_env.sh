#!/usr/bin/env bash
# The build's environment: none of the hook's GIT_* variables (GIT_DIR above
# all), and the documented KILN_* ones.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_file Makefile $'build:\n\t@echo "git vars: $$(env | grep -c ^GIT_ || true)"\n\t@echo "GIT_DIR=$${GIT_DIR-unset}"\n\t@echo "KILN: $$KILN_REPO $$KILN_BRANCH $$KILN_REF $$KILN_BUILD $$KILN_SHA"'
git_push origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
log="$STATE_DIR/builds/app/1/log"
assert_eq "$(build_field app 1 status)" success "status"
assert_file_line "$log" "git vars: 0"
assert_file_line "$log" "GIT_DIR=unset"
assert_file_line "$log" "KILN: app main refs/heads/main 1 $sha"

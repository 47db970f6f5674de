#!/usr/bin/env bash
# `kiln init` of an existing repository rewrites its hook, and says so.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/init.sh"
init_fixture
assert_status 0 kiln init app

echo "# edited by hand" >>"$hook"
assert_status 0 kiln init app
assert_eq "$(cat "$T/out")" "refreshed the hook of existing $git_root/app.git"
assert_file_lacks "$hook" "edited by hand"

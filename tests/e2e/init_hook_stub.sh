#!/usr/bin/env bash
# The hook `kiln init` installs execs kiln-hook with the config it was made
# with, and kiln-hook answers as a program of its own.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/init.sh"
init_fixture
assert_status 0 kiln init app

kiln_hook="$(dirname "$KILN_BIN")/kiln-hook"
assert_file_contains "$hook" "exec '$kiln_hook' --config '$T/config.yaml' hook post-receive"
assert_status 0 "$kiln_hook" --help
assert_file_contains "$T/out" "hook"
assert_status 1 "$kiln_hook" --no-such-option

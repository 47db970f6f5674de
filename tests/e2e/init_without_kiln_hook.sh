#!/usr/bin/env bash
# A kiln without kiln-hook next to it installs a hook that runs kiln itself,
# and says so.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/init.sh"
init_fixture

mkdir "$T/alone"
cp "$KILN_BIN" "$T/alone/kiln"
assert_status 0 "$T/alone/kiln" --config "$T/config.yaml" init app
assert_file_contains "$T/err" "no kiln-hook next to $T/alone/kiln"
assert_file_contains "$hook" "exec '$T/alone/kiln' --config '$T/config.yaml' hook post-receive"

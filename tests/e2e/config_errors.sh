#!/usr/bin/env bash
# A bad global config is refused with FILE:LINE:COL for every error in it,
# unknown keys included, exit 1: by any command that loads it, and by `kiln
# config check`.
source "$(dirname "$0")/lib/common.sh"

cat >"$T/config.yaml" <<YAML
git_root: $T/git
state_dri: $T/state
runner:
  jobs: many
YAML
problems="$T/config.yaml:2:1: unknown key 'state_dri' (did you mean 'state_dir'?)
$T/config.yaml:4:9: runner.jobs: expected a whole number of at least 1, got 'many'"
expected="kiln: error: $problems"

step "a command that loads the bad config"
assert_status 1 "$KILN_BIN" --config "$T/config.yaml" repos
assert_eq "$(cat "$T/err")" "$expected" "stderr of kiln repos"
assert_eq "$(cat "$T/out")" "" "stdout of kiln repos"

step "kiln config check FILE"
assert_status 1 "$KILN_BIN" config check "$T/config.yaml"
assert_eq "$(cat "$T/err")" "$problems
2 errors" "stderr of kiln config check"

step "KILN_CONFIG names it too"
KILN_CONFIG="$T/config.yaml" assert_status 1 "$KILN_BIN" repos
assert_eq "$(cat "$T/err")" "$expected" "stderr with KILN_CONFIG"

step "a good config passes"
printf 'git_root: %s\nstate_dir: %s\n' "$T/git" "$T/state" >"$T/good.yaml"
assert_status 0 "$KILN_BIN" config check "$T/good.yaml"

#!/usr/bin/env bash
# A bad config file is refused with FILE:LINE:COL for every error in it,
# unknown keys included, exit 1: the global config (for any command that
# loads it, and `kiln config check`) and a .kiln.yml.
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

step "a bad .kiln.yml"
printf 'branches: [main]\ntargets: [build]\ntimeout: soon\nworkspace: reuse\nimage:\n  nmae: app\n' >"$T/.kiln.yml"
assert_status 1 "$KILN_BIN" config check "$T/.kiln.yml"
# Every line is FILE:LINE:COL: what, then a count.
assert_eq "$(tail -n 1 "$T/err")" "2 errors" "last line of kiln config check"
sed '$d' "$T/err" >"$T/problems"
assert_eq "$(wc -l <"$T/problems")" 2 "number of problems reported"
while read -r line; do
    [[ "$line" =~ ^$T/\.kiln\.yml:[0-9]+:[0-9]+:\ .+ ]] || fail "not FILE:LINE:COL: what: '$line'"
done <"$T/problems"
assert_file_line "$T/problems" "$T/.kiln.yml:3:10: timeout: expected a duration like 90s, 20m or 1h30m, got 'soon'"
assert_file_line "$T/problems" "$T/.kiln.yml:6:3: unknown key 'nmae' in image (did you mean 'name'?)"

step "a good config passes"
printf 'git_root: %s\nstate_dir: %s\n' "$T/git" "$T/state" >"$T/good.yaml"
assert_status 0 "$KILN_BIN" config check "$T/good.yaml"

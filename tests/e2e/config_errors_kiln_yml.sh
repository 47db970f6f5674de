#!/usr/bin/env bash
# A bad .kiln.yml is refused by `kiln config check` with FILE:LINE:COL for
# every error in it, unknown keys included, then a count, exit 1.
source "$(dirname "$0")/lib/common.sh"

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

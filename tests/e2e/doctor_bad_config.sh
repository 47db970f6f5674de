#!/usr/bin/env bash
# A config with a problem fails `kiln doctor` with one line per problem, each
# naming the file and the check that lists them; nothing else is checked.
source "$(dirname "$0")/lib/common.sh"
need_cmd jq

printf 'state_dir: %s\nrunner:\n  timout: 5m\n  jobs: many\n' "$T/state" >"$T/config.yaml"
assert_status 1 "$KILN_BIN" --config "$T/config.yaml" doctor
cat >"$T/expected" <<LINES
FAIL config: $T/config.yaml:3:3: unknown key 'timout' in runner (did you mean 'timeout'?); fix: correct $T/config.yaml, then $KILN_BIN config check $T/config.yaml
FAIL config: $T/config.yaml:4:9: runner.jobs: expected a whole number of at least 1, got 'many'; fix: correct $T/config.yaml, then $KILN_BIN config check $T/config.yaml
LINES
diff -u "$T/expected" "$T/out" || fail "kiln doctor's lines differ"

assert_status 1 "$KILN_BIN" --config "$T/config.yaml" doctor --json
jq -e '.ok == false and (.checks | length == 2) and (.checks | all(.name == "config" and (.ok | not)))' "$T/out" \
    >/dev/null || fail "doctor --json: $(cat "$T/out")"

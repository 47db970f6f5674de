#!/usr/bin/env bash
# `kiln watch --once` against a registry that accepts connections and never
# answers ends with exit 2 and a clear line at the request deadline.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/faulty_peer.sh"
need_cmd timeout

faulty_peer_start silent
printf 'registry:\n  url: %s\nstate_dir: %s\n' "$PEER_URL" "$T/state" >"$T/kiln.yaml"
# `timeout` only bounds a hang; a kiln that waits for ever fails here with 124.
assert_status 2 timeout 120 "$KILN_BIN" --config "$T/kiln.yaml" watch --once app --exec true
assert_file_line "$T/err" "kiln: error: checking manifest app:latest: registry $PEER_URL sent no complete answer within 30 s"
assert_eq "$(faulty_peer_connections)" 1 "connections (a hung registry is not asked again)"

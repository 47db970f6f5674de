#!/usr/bin/env bash
# A registry that answers with an endless body, or advertises a 2 GB one, gets
# a clear error from `kiln image ls`, and kiln reads no more than its cap.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/faulty_peer.sh"

for mode in endless huge; do
    step "$mode"
    faulty_peer_start "$mode"
    printf 'registry:\n  url: %s\nstate_dir: %s\n' "$PEER_URL" "$T/state" >"$T/kiln.yaml"
    # The limit only keeps a kiln without caps from taking the box down with
    # it; AddressSanitizer reserves terabytes of address space, so a sanitizer
    # build runs without it, and its quarantine of freed memory (256 MB) raises
    # the peak it may reach.
    limit=2000000 max_kib=100000
    if ldd "$KILN_BIN" | grep libasan >/dev/null; then limit=unlimited max_kib=600000; fi
    rss="$(ulimit -v "$limit"; max_rss_kib "$KILN_BIN" --config "$T/kiln.yaml" image ls)"
    assert_eq "$(cat "$T/status")" 2 "exit status"
    assert_file_line "$T/err" "kiln: error: listing repositories of $PEER_URL: registry $PEER_URL sent a list page over kiln's limit of 4 MiB"
    assert_eq "$(cat "$T/out")" "" "stdout"
    [ "$rss" -lt "$max_kib" ] || fail "kiln image ls peaked at $rss KiB"
    kill "$PEER_PID"
    rm -f "$T/peer.port"
done

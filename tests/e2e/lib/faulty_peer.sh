# Sourced after common.sh by scenarios that need a misbehaving registry or
# notify URL: lib/faulty_peer.py on 127.0.0.1 and a free port, stopped at exit.
#
#   faulty_peer_start MODE   silent | trickle | endless | huge (see faulty_peer.py);
#                            sets PEER_HOST (127.0.0.1:PORT) and PEER_URL
#   faulty_peer_connections  how many connections it has accepted
#   max_rss_kib COMMAND...   runs COMMAND (output in $T/out, $T/err, exit status
#                            in $T/status) and prints its peak RSS in KiB

need_cmd python3 /usr/bin/time

PEER_PID=""
faulty_peer_start() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/faulty_peer.py" "$1" "$T/peer.port" 2>>"$T/peer.log" &
    PEER_PID=$!
    on_exit kill "$PEER_PID"
    wait_until 10 test -s "$T/peer.port" || fail "faulty_peer.py did not start: $(cat "$T/peer.log")"
    PEER_HOST="127.0.0.1:$(cat "$T/peer.port")"
    PEER_URL="http://$PEER_HOST"
}

faulty_peer_connections() { cat "$T/peer.port.count" 2>/dev/null || echo 0; }

max_rss_kib() {
    local status=0
    /usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/out" 2>"$T/err" || status=$?
    echo "$status" >"$T/status"
    tail -n 1 "$T/rss"
}

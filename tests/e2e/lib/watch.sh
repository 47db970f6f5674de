# Sourced after common.sh by the watch_* scenarios: `kiln watch` against the
# test registry, its command appending to a file of runs. Sources
# registry.sh, images.sh and registry_images.sh itself.
#
#   watch_fixture   starts the registry, pushes image one as app:latest; sets
#                   $config (kiln's config for it), $d1 (that digest) and
#                   exports RUNS, the file the watched command writes to
#   runs            how many times the watched command has run
#   runs_are N      for wait_until, which must re-count on every poll
#   stop_pid PID    stops a background kiln watch at exit (on_exit stop_pid PID)
#   image_retag SRC DST  copies the manifest of app:SRC-style REF SRC to DST
#                   unchanged, so DST gets SRC's digest (learnt before DST moves)
#   start_health_server  an HTTP server on 127.0.0.1 for --health, stopped at
#                   exit: GET /health answers 200 while the digest in
#                   $T/running (what the deploy wrote) is a line of $T/good,
#                   else 500; sets HEALTH_URL

[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "${BASH_SOURCE[0]}")/registry.sh"
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/registry_images.sh"

watch_fixture() {
    registry_start
    config="$(registry_kiln_config)"
    images_build one
    image_push one app:latest
    d1="$(image_digest app:latest)"
    export RUNS="$T/runs"
}

runs() { if [ -f "$RUNS" ]; then wc -l <"$RUNS"; else echo 0; fi; }
runs_are() { [ "$(runs)" -eq "$1" ]; }
stop_pid() { kill "$1" 2>/dev/null || true; }

image_retag() {
    skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false \
        "docker://$REGISTRY_HOST/$1" "docker://$REGISTRY_HOST/$2" >/dev/null
}

start_health_server() {
    touch "$T/good" "$T/running"
    python3 - "$T/good" "$T/running" "$T/health.port" <<'PY' 2>"$T/health.log" &
import http.server, os, sys
good, running, port_file = sys.argv[1], sys.argv[2], sys.argv[3]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        now = open(running).read().strip()
        healthy = self.path == "/health" and now != "" and now in open(good).read().split()
        self.send_response(200 if healthy else 500)
        self.send_header("Content-Length", "0")
        self.end_headers()
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
    on_exit kill "$!"
    wait_until 10 test -s "$T/health.port" || fail "the health server did not start: $(cat "$T/health.log")"
    HEALTH_URL="http://127.0.0.1:$(cat "$T/health.port")/health"
}

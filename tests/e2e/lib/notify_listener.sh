# A notify listener for end-to-end tests: an HTTP server on 127.0.0.1 that
# stores every POST as <n>.json (the body) and <n>.meta (path and
# Content-Type) in a folder, and answers 204. Source after lib/common.sh.

# start_notify_listener DIR: starts it, stopped at exit; sets NOTIFY_PORT.
start_notify_listener() {
    local out="$1"
    mkdir -p "$out"
    python3 - "$out" "$T/listener.port" <<'PY' 2>"$T/listener.log" &
import http.server, os, sys
out, port_file = sys.argv[1], sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        n = len([f for f in os.listdir(out) if f.endswith(".json")]) + 1
        with open(os.path.join(out, "%d.meta" % n), "w") as meta:
            meta.write("%s %s\n" % (self.path, self.headers.get("Content-Type")))
        with open(os.path.join(out, "%d.json.tmp" % n), "wb") as f:
            f.write(body)
        os.rename(os.path.join(out, "%d.json.tmp" % n), os.path.join(out, "%d.json" % n))
        self.send_response(204)
        self.end_headers()
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
    on_exit kill "$!"
    wait_until 10 test -s "$T/listener.port" || fail "the listener did not start: $(cat "$T/listener.log")"
    NOTIFY_PORT="$(cat "$T/listener.port")"
}

# posts_in DIR: how many POSTs the listener stored there.
posts_in() { find "$1" -name '*.json' | wc -l; }

# commit_notify_yml: commits a .kiln.yml (lib/ssh.sh's commit_file) that
# notifies the listener's /deploy and a URL nobody answers, on port $dead_port.
commit_notify_yml() {
    dead_port="$(e2e_free_port)"
    commit_file .kiln.yml "notify:
  - http://127.0.0.1:$NOTIFY_PORT/deploy
  - http://127.0.0.1:$dead_port/nobody"
}

# Sourced after common.sh by scenarios that need a registry: a real
# `docker-registry serve` on 127.0.0.1 and a free port, its own config
# (deletes enabled, storage under $T, no auth), stopped at exit.
#
#   registry_start        starts it (again, on the same port and storage);
#                         sets REGISTRY_HOST (127.0.0.1:PORT), REGISTRY_URL
#   registry_stop         stops it (SIGTERM, waits)
#   registry_kiln_config  writes $T/kiln.yaml pointing kiln at it; prints its path
#   registry_managed_start [USER]
#                         instead of registry_start: writes $REGISTRY_RESTART, a
#                         restart command as install.sh's (stops the pid in its
#                         pid file, starts the registry again, records
#                         `read-only` or `writable` in $T/restarts), and starts
#                         the registry with it (as USER: the files become USER's).
#                         While $T/hold exists, a restart into read-only mode
#                         touches $T/held and waits for it to go.

need_cmd docker-registry curl

# A port nobody listens on now: ask the kernel for one and let it go.
registry_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

REGISTRY_PORT="$(registry_free_port)"
REGISTRY_HOST="127.0.0.1:$REGISTRY_PORT"
REGISTRY_URL="http://$REGISTRY_HOST"
REGISTRY_PID=""
mkdir -p "$T/registry/storage"
cat >"$T/registry/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $T/registry/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY_HOST
  # A fixed secret keeps upload sessions valid across a restart.
  secret: kiln-e2e-secret
YAML

registry_start() {
    docker-registry serve "$T/registry/config.yml" >>"$T/registry/log" 2>&1 &
    REGISTRY_PID=$!
    if ! wait_until 15 curl -fs -o /dev/null "$REGISTRY_URL/v2/"; then
        cat "$T/registry/log" >&2
        fail "docker-registry did not answer on $REGISTRY_HOST"
    fi
}

registry_stop() {
    if [ -n "$REGISTRY_PID" ]; then
        kill "$REGISTRY_PID" 2>/dev/null || true
        wait "$REGISTRY_PID" 2>/dev/null || true
        REGISTRY_PID=""
    fi
}
on_exit registry_stop

registry_kiln_config() {
    printf 'registry:\n  url: %s\nstate_dir: %s\n' "$REGISTRY_URL" "$T/state" >"$T/kiln.yaml"
    echo "$T/kiln.yaml"
}

registry_managed_start() {
    local user="${1:-}" pidfile="$T/registry/pid"
    REGISTRY_RESTART="$T/registry/restart"
    cat >"$REGISTRY_RESTART" <<SCRIPT
#!/bin/bash
set -eu
if [ -s "$pidfile" ]; then
    pid="\$(cat "$pidfile")"
    kill "\$pid" 2>/dev/null || true
    # A zombie has ended too; init reaps it.
    while [ -e "/proc/\$pid" ] && ! grep -q '^State:.*Z' "/proc/\$pid/status" 2>/dev/null; do sleep 0.1; done
fi
setsid docker-registry serve "$T/registry/config.yml" </dev/null >>"$T/registry/log" 2>&1 &
echo "\$!" >"$pidfile"
if grep -q readonly "$T/registry/config.yml"; then mode=read-only; else mode=writable; fi
echo "\$mode" >>"$T/restarts"
if [ "\$mode" = read-only ] && [ -e "$T/hold" ]; then
    touch "$T/held"
    while [ -e "$T/hold" ]; do sleep 0.1; done
fi
SCRIPT
    chmod 755 "$REGISTRY_RESTART"
    on_exit registry_managed_stop
    on_exit rm -f "$T/hold"
    if [ -n "$user" ]; then
        touch "$T/restarts"
        chown -R "$user:" "$T/registry" "$T/restarts"
        chmod 755 "$T"
        runuser -u "$user" -- "$REGISTRY_RESTART"
    else
        "$REGISTRY_RESTART"
    fi
    if ! wait_until 15 curl -fs -o /dev/null "$REGISTRY_URL/v2/"; then
        cat "$T/registry/log" >&2
        fail "docker-registry did not answer on $REGISTRY_HOST"
    fi
    : >"$T/restarts"
}

registry_managed_stop() {
    local pid
    pid="$(cat "$T/registry/pid" 2>/dev/null)" || return 0
    kill "$pid" 2>/dev/null || true
}

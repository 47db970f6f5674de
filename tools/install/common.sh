# Sourced by install.sh: writing files only when they differ, processes
# started without systemd, and systemd units.

systemd_runs() { [ -d /run/systemd/system ]; }

this_host() {
    local name
    name="$(hostname -f 2>/dev/null || true)"
    [ -n "$name" ] || name="$(uname -n)"
    echo "$name"
}

# The first IPv4 address `tailscale ip -4` gives; nothing without Tailscale.
tailscale_ip() {
    command -v tailscale >/dev/null || return 0
    timeout 10 tailscale ip -4 2>/dev/null | head -n 1 || true
}

# install_file MODE OWNER:GROUP SOURCE DEST: makes DEST a copy of SOURCE with
# that mode and owner, writing it only when one of them differs, so that a
# re-run changes nothing. Sets `wrote` to 1 when it wrote DEST, else 0.
install_file() {
    local mode="$1" owner="$2" source="$3" dest="$4"
    wrote=0
    if [ -f "$dest" ] && cmp -s "$source" "$dest" && [ "$(stat -c '%a %U:%G' "$dest")" = "$mode $owner" ]; then
        return 0
    fi
    install -D -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$source" "$dest"
    note "installed $dest"
    wrote=1
}

# write_file MODE OWNER:GROUP DEST: install_file for the text on stdin.
write_file() {
    local tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    install_file "$1" "$2" "$tmp" "$3"
    rm -f "$tmp"
}

# run_logged LOG WHAT COMMAND...: runs COMMAND with its output in LOG; on
# failure shows the end of LOG and fails.
run_logged() {
    local log="$1" what="$2"
    shift 2
    if ! "$@" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        fail "$what failed (all of it: $log)"
    fi
}

# pid_of PIDFILE EXE: the pid in PIDFILE when that process runs EXE.
pid_of() {
    local pid
    pid="$(cat "$1" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$2" ] && echo "$pid"
    return 0
}

# runner_pid: the process holding <state_dir>/runner.lock, whoever started it.
runner_pid() {
    local lock="$state_dir/runner.lock"
    [ -e "$lock" ] || return 0
    awk -v ino="$(stat -c %i "$lock")" '$2 == "FLOCK" { split($6, id, ":"); if (id[3] == ino) { print $5; exit } }' /proc/locks
}

# stop_pid PID WHAT SECONDS: SIGTERM, then waits for it to end.
stop_pid() {
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < $3 * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { note "stopped $2 (pid $pid)"; return 0; }
        sleep 0.1
    done
    fail "stopping $2: pid $pid still runs after ${3}s"
}

# start_unit NAME RESTART: installs NAME.service from the build, enables it and
# starts it; restarts it when RESTART is 1 or its unit file changed.
start_unit() {
    local name="$1" restart="$2"
    install_file 644 root:root "$build_dir/$name.service" "$unit_dir/$name.service"
    if [ "$wrote" = 1 ]; then
        systemctl daemon-reload
        restart=1
    fi
    systemctl is-enabled --quiet "$name" 2>/dev/null || systemctl enable --quiet "$name"
    if [ "$restart" = 1 ]; then
        systemctl restart "$name"
        note "(re)started $name.service"
    elif systemctl is-active --quiet "$name"; then
        note "$name.service runs"
    else
        systemctl start "$name"
        note "started $name.service"
    fi
}

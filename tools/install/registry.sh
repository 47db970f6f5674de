# Sourced by install.sh: the build box's registry.

setup_registry() {
    local addr="$1" restart=0 secret
    step "registry: docker-registry on $addr ($registry_config)"
    id "$registry_user" >/dev/null 2>&1 || fail "no user $registry_user: is the docker-registry package installed?"
    if [ ! -s "$registry_secret" ]; then
        # Signs upload sessions, so an upload survives a registry restart.
        (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$registry_secret")
        note "generated its http.secret ($registry_secret)"
    fi
    secret="$(cat "$registry_secret")"
    install -d -o "$registry_user" -g "$registry_user" -m 750 "$registry_storage"
    write_file 640 "root:$registry_user" "$registry_config" <<REGISTRY
# kiln's docker-registry config, written by install.sh (a re-run rewrites it;
# the http.secret comes from $registry_secret, where it is kept).
version: 0.1
log:
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $registry_storage
  # image.keep, kiln image rm and kiln image prune delete manifests by digest;
  # without this the registry answers 405 UNSUPPORTED.
  delete:
    enabled: true
  # No blobdescriptor cache: after garbage-collect it would go on reporting
  # deleted layers as present, and the next push would leave a broken image.
http:
  # There is no auth: listen only where deploy hosts reach it privately
  # (Tailscale), never on a public address. install.sh --registry-addr.
  addr: $addr
  secret: $secret
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
REGISTRY
    restart="$wrote"
    write_registry_restart
    if systemd_runs; then
        if systemctl is-enabled --quiet docker-registry.service 2>/dev/null ||
            systemctl is-active --quiet docker-registry.service; then
            systemctl disable --now --quiet docker-registry.service
            note "disabled Debian's docker-registry.service (its own config, port 5000): kiln-registry.service replaces it"
        fi
        start_unit kiln-registry "$restart"
    else
        local pid
        pid="$(pid_of "$run_dir/registry.pid" /usr/bin/docker-registry)"
        if [ -n "$pid" ] && [ "$restart" = 0 ] && [ "$restart_helper_wrote" = 0 ]; then
            note "running (pid $pid)"
        else
            "$registry_restart"
            note "systemd does not run here: started docker-registry in the background as $registry_user"
            note "(pid $(cat "$run_dir/registry.pid"), pid file $run_dir/registry.pid, log $log_dir/registry.log); after a reboot run install.sh again"
        fi
    fi
    check_registry "http://$addr"
}

# write_registry_restart: $registry_restart, the command that restarts the
# registry so it rereads its config, with systemd (kiln-registry.service) or
# without it (the pid file, a background process as $registry_user): the
# non-systemd start below, and kiln image gc (registry.gc.restart), run it.
# Sets restart_helper_wrote to 1 when it changed.
write_registry_restart() {
    write_file 755 root:root "$registry_restart" <<SCRIPT
#!/bin/sh
# Restarts kiln's registry so it rereads $registry_config. Written by
# install.sh (a re-run rewrites it); kiln image gc runs it (registry.gc.restart).
# Needs root.
set -eu
if [ -d /run/systemd/system ]; then
    exec systemctl restart kiln-registry.service
fi
pidfile=$run_dir/registry.pid
pid="\$(cat "\$pidfile" 2>/dev/null || true)"
if [ -n "\$pid" ] && [ "\$(readlink "/proc/\$pid/exe" 2>/dev/null)" = /usr/bin/docker-registry ]; then
    kill -TERM "\$pid"
    i=0
    # A zombie has ended too: its parent (a shell long gone, or init) reaps it.
    while [ -e "/proc/\$pid" ] && ! grep -q '^State:.*Z' "/proc/\$pid/status" 2>/dev/null; do
        i=\$((i + 1))
        [ "\$i" -lt 300 ] || { echo "\$0: docker-registry (pid \$pid) still runs after 30s" >&2; exit 1; }
        sleep 0.1
    done
fi
install -d -m 755 $run_dir $log_dir
setsid setpriv --reuid=$registry_user --regid=$registry_user --init-groups \\
    /usr/bin/docker-registry serve $registry_config </dev/null >>$log_dir/registry.log 2>&1 &
echo "\$!" >"\$pidfile"
SCRIPT
    restart_helper_wrote="$wrote"
}

# check_registry URL: waits for it to answer /v2/, and checks that it deletes.
check_registry() {
    local url="$1" i code
    for ((i = 0; i < 300; i++)); do
        curl -fsS -o /dev/null --max-time 2 "$url/v2/" 2>/dev/null && break
        sleep 0.1
    done
    curl -fsS -o /dev/null --max-time 5 "$url/v2/" ||
        fail "the registry does not answer on $url/v2/ (log: journalctl -u kiln-registry, or $log_dir/registry.log)"
    # A manifest that cannot exist: 404 where deletes are enabled, 405 where not.
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X DELETE \
        "$url/v2/kiln-install-check/manifests/sha256:$(printf '0%.0s' {1..64})")"
    [ "$code" != 405 ] || fail "the registry on $url does not delete (405): $registry_config must enable storage.delete"
    note "answers on $url, deletes enabled"
}

# Sourced by install.sh: --uninstall.

uninstall() {
    local name pid removed=()
    step "stopping kiln's services"
    if systemd_runs; then
        for name in kiln-runner kiln-registry kiln-watch; do
            if [ -e "$unit_dir/$name.service" ]; then
                systemctl disable --now --quiet "$name" || true
                rm -f "$unit_dir/$name.service"
                removed+=("$unit_dir/$name.service")
            fi
        done
        systemctl daemon-reload
    fi
    pid="$(pid_of "$run_dir/registry.pid" /usr/bin/docker-registry)"
    [ -z "$pid" ] || stop_pid "$pid" "the registry" 30
    state_dir=""
    [ ! -x "$kiln" ] || state_dir="$("$kiln" config check "$config" --print 2>/dev/null | sed -n 's/^state_dir: //p')"
    state_dir="${state_dir:-/var/lib/kiln}"
    pid="$(runner_pid)"
    [ -z "$pid" ] || stop_pid "$pid" "the runner" 90
    step "removing kiln"
    for name in "$bin_dir/kiln" "$bin_dir/kiln-hook" "$libexec_dir/deploy.sh" "$registry_restart" "$registry_config" "$run_dir" "$cache_dir"; do
        if [ -e "$name" ]; then
            rm -rf "$name"
            removed+=("$name")
        fi
    done
    rmdir "$libexec_dir" 2>/dev/null || true
    for name in "${removed[@]}"; do note "removed $name"; done
    echo
    echo "Kept (remove them yourself if you want them gone):"
    local kept
    for kept in /srv/git "$state_dir" "$registry_storage" "$etc_dir" "$log_dir"; do
        [ ! -e "$kept" ] || echo "  $kept"
    done
    echo "  the users ($user, $watch_user, where they exist) and the packages"
    echo "Pushes to the repositories build again after sudo ./install.sh."
    if systemd_runs && [ -e /lib/systemd/system/docker-registry.service ]; then
        echo "Debian's docker-registry.service stays disabled (systemctl enable --now docker-registry)."
    fi
}

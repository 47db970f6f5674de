# Sourced by install.sh: --deploy-host.

install_deploy_host() {
    kiln_ensure_packages build
    build_and_install kiln
    write_config "$deploy_registry"
    check_config_url "$deploy_registry"
    install_file 755 root:root "$stage_dir$libexec_dir/deploy.sh" "$libexec_dir/deploy.sh"
    step "kiln watch: $watch_env, the kiln-watch unit"
    if ! id "$watch_user" >/dev/null 2>&1; then
        useradd --system --create-home --home-dir "/var/lib/$watch_user" --shell /usr/sbin/nologin \
            --comment "kiln watch, deploys the app" "$watch_user"
        note "created the user $watch_user"
    fi
    local listen ip
    ip="$(tailscale_ip)"
    listen="${ip:-127.0.0.1}:9000"
    if [ ! -e "$watch_env" ]; then
        (umask 077 && printf 'KILN_WATCH_IMAGE=app:latest\nKILN_WATCH_LISTEN=%s\n' "$listen" >"$watch_env")
        note "wrote $watch_env"
    else
        note "$watch_env exists: left as it is"
    fi
    local KILN_WATCH_LISTEN KILN_WATCH_TOKEN="" KILN_WATCH_IMAGE
    # shellcheck disable=SC1090  # written just above or by an earlier run
    source "$watch_env"
    # The token goes to kiln watch as a file: on its command line every local
    # user would read it in ps. A watch.env from before keeps its token.
    if [ ! -e "$watch_token" ]; then
        (umask 077 && printf '%s\n' "${KILN_WATCH_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}" >"$watch_token")
        note "wrote $watch_token"
    fi
    chown "$watch_user:" "$watch_token"
    chmod 600 "$watch_token"
    KILN_WATCH_TOKEN="$(head -n 1 "$watch_token")"
    local ready=1
    if systemd_runs; then
        install_file 644 root:root "$build_dir/kiln-watch.service" "$unit_dir/kiln-watch.service"
        [ "$wrote" = 0 ] || systemctl daemon-reload
        if getent group docker >/dev/null; then
            systemctl is-enabled --quiet kiln-watch 2>/dev/null || systemctl enable --quiet kiln-watch
            if [ "$kiln_changed" = 1 ] || [ "$wrote" = 1 ]; then systemctl restart kiln-watch; else systemctl start kiln-watch; fi
            note "kiln-watch.service runs"
        else
            ready=0
        fi
    fi
    local registry_host="${deploy_registry#*://}"
    echo
    echo "kiln is set up on this deploy host for $deploy_registry. Next:"
    echo "1. Docker pulls over plain HTTP only from registries it is told to trust; put into"
    echo "   /etc/docker/daemon.json  {\"insecure-registries\": [\"$registry_host\"]}  and: systemctl restart docker"
    if ! systemd_runs; then
        echo "2. systemd does not run here: run the watcher yourself, e.g. as a user in the docker group:"
        echo "     $kiln --config $config watch $KILN_WATCH_IMAGE --now --listen $KILN_WATCH_LISTEN \\"
        echo "         --token-file $watch_token --exec $libexec_dir/deploy.sh"
    elif [ "$ready" = 0 ]; then
        echo "2. Install docker (apt-get install docker.io), then: sudo systemctl enable --now kiln-watch"
    else
        echo "2. kiln-watch.service deploys $KILN_WATCH_IMAGE with $libexec_dir/deploy.sh: journalctl -u kiln-watch -f"
    fi
    echo "3. To deploy within a second of each build, on the build box put the URL into the"
    echo "   app's secrets file (/etc/kiln/secrets/app.env, mode 600), not into git history:"
    echo "     DEPLOY_HOOK=http://${ip:-THIS-HOST}:9000/hook?token=$KILN_WATCH_TOKEN"
    echo "   and into the app's .kiln.yml:"
    echo "     notify:"
    echo "       - url_secret: DEPLOY_HOOK"
    [ -n "$ip" ] || echo "   (the watcher listens on 127.0.0.1:9000: set KILN_WATCH_LISTEN in $watch_env to an address the box reaches)"
}

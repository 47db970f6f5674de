# Sourced by install.sh: what a build box has besides the registry: the git
# user, kiln's directories, /etc/kiln/config.yaml and the runner.

setup_user() {
    step "user $user, $git_root, $state_dir, $secrets_dir"
    if ! id "$user" >/dev/null 2>&1; then
        useradd --system --create-home --home-dir "$git_root" --shell /bin/bash --comment "kiln git repositories" "$user"
        note "created the user $user (home $git_root)"
    fi
    group="$(id -gn "$user")"
    home="$(getent passwd "$user" | cut -d: -f6)"
    # useradd --system gives no subordinate ids, and without them buildah and
    # podman fail as this user ("error setting supplemental groups list").
    local kind file start
    for kind in uid gid; do
        file="/etc/sub$kind"
        [ -e "$file" ] || install -m 644 /dev/null "$file"
        if ! awk -F: -v u="$user" '$1 == u { found = 1 } END { exit !found }' "$file"; then
            start="$(awk -F: 'BEGIN { top = 100000 } { if ($2 + $3 > top) top = $2 + $3 } END { print top }' "$file")"
            usermod "--add-sub${kind}s" "$start-$((start + 65535))" "$user"
            note "gave $user the subordinate ${kind}s $start-$((start + 65535))"
        fi
    done
    # A locked account ('!') cannot log in even with a key when sshd runs without PAM.
    if [ "$(getent shadow "$user" | cut -d: -f2)" = '!' ]; then
        usermod -p '*' "$user"
    fi
    install -d -o "$user" -g "$group" -m 755 "$git_root"
    # Records and logs may quote a secret: the build user's alone.
    install -d -o "$user" -g "$group" -m 700 "$state_dir"
    install -d -o "$user" -g "$group" -m 700 "$home/.ssh"
    [ -e "$home/.ssh/authorized_keys" ] || install -m 600 -o "$user" -g "$group" /dev/null "$home/.ssh/authorized_keys"
    install -d -o "$user" -g "$group" -m 700 "$secrets_dir"
    # A registry.password in the config is the build user's alone too (the
    # runner reads it; kiln warns in every build's log while others can).
    local password
    password="$(config_value password)"
    if [ -n "$password" ] && [ "$password" != '""' ]; then
        chown "$user:$group" "$config"
        chmod 600 "$config"
        note "$config holds registry.password: made it $user's alone (mode 0600)"
    fi
}

# write_config URL [RESTART]: writes config.yaml from the sample, with
# registry.url URL (none: the sample as it is) and, with RESTART (the local
# registry's restart command), registry.gc for kiln image gc, unless it
# exists; says when the sample changed since it was written (the sample it
# was written from is kept next to it).
write_config() {
    local url="$1" gc_restart="${2:-}" sample="$repo/config/kiln.yaml"
    install -d -m 755 "$etc_dir"
    if [ -e "$config" ]; then
        step "$config exists: left as it is"
        if [ ! -e "$config_sample" ]; then
            install -m 644 "$sample" "$config_sample"
            note "the sample it may differ from: $config_sample"
        elif ! cmp -s "$sample" "$config_sample"; then
            note "the sample's defaults changed since it was written: diff -u $config_sample $sample"
            note "(take what you want into $config, then: sudo cp $sample $config_sample)"
        fi
        if [ -n "$gc_restart" ] && [ -z "$("$kiln" config check "$config" --print 2>/dev/null | sed -n 's/^    config: //p')" ]; then
            note "to free the registry's disk with sudo kiln image gc, set in $config:"
            note "  registry: {gc: {config: $registry_config, restart: $gc_restart}}"
        fi
    else
        step "writing $config"
        if [ -n "$url" ]; then
            sed -e 's|^#registry:$|registry:|' -e "s|^#  url: http://127.0.0.1:5000\$|  url: $url|" "$sample" >"$config.tmp"
            grep -q "^  url: $url\$" "$config.tmp" || fail "writing $config: the sample has no '#  url:' line to set"
            if [ -n "$gc_restart" ]; then
                sed -i -e 's|^#  gc:$|  gc:|' -e "s|^#    config: \"\"\$|    config: $registry_config|" \
                    -e "s|^#    restart: \"\"\$|    restart: $gc_restart|" "$config.tmp"
                grep -q "^    restart: $gc_restart\$" "$config.tmp" ||
                    fail "writing $config: the sample has no '#    restart:' line to set"
            fi
        else
            cp "$sample" "$config.tmp"
        fi
        chmod 644 "$config.tmp"
        mv "$config.tmp" "$config"
        install -m 644 "$sample" "$config_sample"
        [ -z "$url" ] || note "registry.url: $url"
        [ -z "$gc_restart" ] || note "registry.gc: config $registry_config, restart $gc_restart (sudo kiln image gc)"
    fi
    "$kiln" config check "$config" >/dev/null || fail "$config has errors (above); fix them and run install.sh again"
}

# config_value KEY: a scalar of the effective config (registry.url: url).
config_value() {
    "$kiln" config check "$config" --print 2>/dev/null | awk -v key="$1" '
        /^[a-z_]+:/ { section = $1 } { line = $0; sub(/^ +/, "", line) }
        index(line, key ": ") == 1 && (section == "registry:" || $0 !~ /^ /) { print substr(line, length(key) + 3); exit }'
}

# check_config_url URL: says so when config.yaml (written earlier) names
# another registry than URL.
check_config_url() {
    local configured
    configured="$(config_value url)"
    if [ -n "$1" ] && [ "$configured" != "$1" ]; then
        note "but $config says registry.url: $configured, and kiln uses that one; to use $1"
        note "instead, set it in $config (registry: {url: $1})"
    fi
}

setup_runner() {
    step "runner"
    if systemd_runs; then
        start_unit kiln-runner "$kiln_changed"
        return
    fi
    local pid
    pid="$(runner_pid)"
    if [ -n "$pid" ] && [ "$kiln_changed" = 0 ]; then
        note "running (pid $pid)"
        return
    fi
    # Lets its builds finish (its --stop-grace is 60s), so that the new kiln runs the next.
    [ -z "$pid" ] || stop_pid "$pid" "the runner of the old kiln" 90
    local log="$state_dir/runner.log"
    # Owned by the user, like the log of a runner a push starts.
    [ -e "$log" ] || install -m 644 -o "$user" -g "$group" /dev/null "$log"
    # exec: no shell may stay behind holding install.sh's stdout (a pipe to
    # `tee` would never end).
    (cd / && exec setsid setpriv --reuid="$user" --regid="$group" --init-groups \
        env -i HOME="$home" USER="$user" LOGNAME="$user" PATH="$default_path" LANG=C.UTF-8 \
        "$kiln" --config "$config" runner </dev/null >>"$log" 2>&1) &
    note "systemd does not run here: started a runner in the background as $user (log $log);"
    note "when it is not running, the next push starts one"
}

#!/usr/bin/env bash
# Sets up a kiln build box (or, with --deploy-host, a deploy host) on Debian 12
# or Ubuntu: `sudo ./install.sh`. Safe to run again, after a `git pull` too: it
# rebuilds what changed, replaces an installed file only when its content
# differs, restarts only what changed, and never overwrites
# /etc/kiln/config.yaml or a secret.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: sudo ./install.sh [OPTIONS]

Sets up this machine as a build box: developers push to git@THIS-BOX:/srv/git/NAME.git,
kiln builds each push with make and keeps the images in a registry on this box.

  1. apt-get installs the build and run packages of packages.txt (none when all
     are installed)
  2. builds kiln (Release, in /var/cache/kiln/build, kept so that a re-run
     rebuilds only what changed) and runs its unit tests
  3. installs PREFIX/bin/kiln and PREFIX/bin/kiln-hook, stripped, when they changed
  4. the user USER (home /srv/git, which is kiln's git_root; a login shell, so
     `ssh USER@box kiln ...` works; subordinate uid/gid ranges, so buildah builds
     images as it without a daemon), /var/lib/kiln, /etc/kiln/secrets (0700)
  5. /etc/kiln/config.yaml from the sample, with registry.url set, once: a re-run
     never overwrites it and says when the sample changed since
  6. a registry: Debian's docker-registry with kiln's config /etc/kiln/registry.yml
     (deletes enabled, a random http.secret kept in /etc/kiln/registry.secret),
     listening on this box's Tailscale address, port 5000, when `tailscale ip -4`
     answers, else on 127.0.0.1:5000; the kiln-registry systemd unit, or without
     systemd a background process (/run/kiln/registry.pid, /var/log/kiln/registry.log)
  7. the runner: the kiln-runner systemd unit, or without systemd a background
     process as USER (a push starts one too when none runs)
  It ends by printing the next steps with this box's name.

Options:
  --user NAME                the git user (default: git)
  --prefix DIR               where bin/kiln goes (default: /usr/local)
  --registry-addr HOST:PORT  where the local registry listens (default: above)
  --registry URL             use the registry at http(s)://HOST[:PORT] instead of a
                             local one (written into a new config.yaml)
  --registry none            no registry (a build that makes an image fails)
  --no-tests                 do not build or run the unit tests (a faster build)
  --deploy-host HOST:PORT    set up a deploy host instead, HOST:PORT being the build
                             box's registry: kiln (for `kiln watch`), /etc/kiln/config.yaml
                             with registry.url http://HOST:PORT, /etc/kiln/watch.env and
                             the kiln-watch unit (enabled when docker and systemd run);
                             no git user, registry or runner
  --uninstall                remove what install.sh installed: the services and the
                             background processes it started, the binaries, the units,
                             /etc/kiln/registry.yml and /var/cache/kiln. It keeps the
                             repositories (/srv/git), the builds (/var/lib/kiln), the
                             images (/var/lib/docker-registry), /etc/kiln (config and
                             secrets), /var/log/kiln, the users and the packages.
  -h, --help                 this text

Exit status: 0 done, 1 bad usage, 2 a step failed (it says which).
USAGE
}

usage_error() { echo "install.sh: $*; see ./install.sh --help" >&2; exit 1; }
fail() { echo "install.sh: $*" >&2; exit 2; }
step() { echo "==> $*"; }
note() { echo "    $*"; }

user=git
prefix=/usr/local
registry=local
registry_addr=""
tests=1
action=box
deploy_registry=""
while [ $# -gt 0 ]; do
    case "$1" in
        --user | --prefix | --registry | --registry-addr | --deploy-host)
            if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi
            case "$1" in
                --user) user="$2" ;;
                --prefix) prefix="$2" ;;
                --registry) registry="$2" ;;
                --registry-addr) registry_addr="$2" ;;
                --deploy-host) action=deploy deploy_registry="$2" ;;
            esac
            shift ;;
        --no-tests) tests=0 ;;
        --uninstall) action=uninstall ;;
        -h | --help) usage; exit 0 ;;
        *) usage_error "unknown option '$1'" ;;
    esac
    shift
done

host_port_re='^[A-Za-z0-9.-]+:[0-9]+$'
case "$registry" in
    local | none) ;;
    http://?* | https://?*) registry="${registry%/}" ;;
    *) usage_error "--registry takes http(s)://HOST[:PORT] or none, not '$registry'" ;;
esac
if [ -n "$registry_addr" ]; then
    [[ "$registry_addr" =~ $host_port_re ]] || usage_error "--registry-addr takes HOST:PORT, not '$registry_addr'"
    [ "$registry" = local ] || usage_error "--registry-addr is for the local registry, not with --registry $registry"
fi
if [ "$action" = deploy ]; then
    case "$deploy_registry" in
        http://?* | https://?*) deploy_registry="${deploy_registry%/}" ;;
        *)
            [[ "$deploy_registry" =~ $host_port_re ]] || usage_error "--deploy-host takes the build box's registry, HOST:PORT, not '$deploy_registry'"
            deploy_registry="http://$deploy_registry" ;;
    esac
fi
[[ "$prefix" == /* ]] || usage_error "--prefix takes an absolute directory, not '$prefix'"
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root: sudo ./install.sh" >&2; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"
# shellcheck source=tools/deps.sh
source tools/deps.sh

bin_dir="$prefix/bin"
kiln="$bin_dir/kiln"
libexec_dir="$prefix/libexec/kiln"
etc_dir=/etc/kiln
config="$etc_dir/config.yaml"
config_sample="$etc_dir/config.yaml.sample"
registry_config="$etc_dir/registry.yml"
registry_secret="$etc_dir/registry.secret"
registry_user=docker-registry
registry_storage=/var/lib/docker-registry
watch_env="$etc_dir/watch.env"
watch_user="kiln-watch"
cache_dir=/var/cache/kiln
build_dir="$cache_dir/build"
stage_dir="$cache_dir/stage"
run_dir=/run/kiln
log_dir=/var/log/kiln
unit_dir=/etc/systemd/system
default_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

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

# ---- build and install the binaries -----------------------------------------

# Sets kiln_changed to 1 when kiln or kiln-hook was (re)installed.
build_and_install() {
    local with_tests=OFF
    [ "$tests" = 1 ] && with_tests=ON
    install -d -m 755 "$cache_dir"
    step "building kiln (Release) in $build_dir: a first build takes minutes (log: $cache_dir/build.log)"
    # Outside the checkout: the tree is over a gigabyte, and kept, so a re-run
    # rebuilds only what changed. Never -Werror: a newer compiler's new warning
    # must not stop an install.
    run_logged "$cache_dir/configure.log" "configuring the build" \
        cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DKILN_WERROR=OFF -DKILN_SANITIZE=OFF \
        -DKILN_BUILD_TESTS="$with_tests" -DCMAKE_INSTALL_PREFIX="$prefix" -DKILN_USER="$user"
    run_logged "$cache_dir/build.log" "building kiln" cmake --build "$build_dir" -j"$(nproc)"
    if [ "$tests" = 1 ]; then
        step "unit tests (log: $cache_dir/unit-tests.log)"
        if ! ctest --test-dir "$build_dir" -L unit --output-on-failure -j"$(nproc)" >"$cache_dir/unit-tests.log" 2>&1; then
            grep -E -A 30 '^[0-9]+% tests passed' "$cache_dir/unit-tests.log" >&2 || tail -n 40 "$cache_dir/unit-tests.log" >&2
            fail "unit tests failed (all of it: $cache_dir/unit-tests.log); nothing was installed"
        fi
        note "$(grep -E '^[0-9]+% tests passed' "$cache_dir/unit-tests.log")"
    fi
    # Stripped into a staging tree first, so that an unchanged binary is
    # recognised and left alone.
    rm -rf "$stage_dir"
    DESTDIR="$stage_dir" run_logged "$cache_dir/stage.log" "staging the install" \
        cmake --install "$build_dir" --prefix "$prefix" --strip
    kiln_changed=0
    step "installing into $prefix"
    local name
    for name in "$@"; do
        install_file 755 root:root "$stage_dir$bin_dir/$name" "$bin_dir/$name"
        [ "$wrote" = 0 ] || kiln_changed=1
    done
    [ "$kiln_changed" = 1 ] || note "kiln is up to date"
    note "$("$kiln" version)"
}

# ---- the git user and kiln's directories -------------------------------------

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
    install -d -o "$user" -g "$group" -m 755 "$git_root" "$state_dir"
    install -d -o "$user" -g "$group" -m 700 "$home/.ssh"
    [ -e "$home/.ssh/authorized_keys" ] || install -m 600 -o "$user" -g "$group" /dev/null "$home/.ssh/authorized_keys"
    install -d -o "$user" -g "$group" -m 700 "$secrets_dir"
}

# ---- /etc/kiln/config.yaml ---------------------------------------------------

# write_config URL: writes config.yaml from the sample, with registry.url URL
# (none: the sample as it is), unless it exists; says when the sample changed
# since it was written (the sample it was written from is kept next to it).
write_config() {
    local url="$1" sample="$repo/config/kiln.yaml"
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
    else
        step "writing $config"
        if [ -n "$url" ]; then
            sed -e 's|^#registry:$|registry:|' -e "s|^#  url: http://127.0.0.1:5000\$|  url: $url|" "$sample" >"$config.tmp"
            grep -q "^  url: $url\$" "$config.tmp" || fail "writing $config: the sample has no '#  url:' line to set"
        else
            cp "$sample" "$config.tmp"
        fi
        chmod 644 "$config.tmp"
        mv "$config.tmp" "$config"
        install -m 644 "$sample" "$config_sample"
        [ -z "$url" ] || note "registry.url: $url"
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

# ---- processes without systemd -----------------------------------------------

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

# ---- the registry --------------------------------------------------------------

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
        if [ -n "$pid" ] && [ "$restart" = 0 ]; then
            note "running (pid $pid)"
        else
            [ -z "$pid" ] || stop_pid "$pid" "the registry" 30
            install -d -m 755 "$run_dir" "$log_dir"
            setsid setpriv --reuid="$registry_user" --regid="$registry_user" --init-groups \
                /usr/bin/docker-registry serve "$registry_config" </dev/null >>"$log_dir/registry.log" 2>&1 &
            echo "$!" >"$run_dir/registry.pid"
            note "systemd does not run here: started docker-registry in the background as $registry_user"
            note "(pid $!, pid file $run_dir/registry.pid, log $log_dir/registry.log); after a reboot run install.sh again"
        fi
    fi
    check_registry "http://$addr"
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

# ---- systemd units -------------------------------------------------------------

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

# ---- the runner ------------------------------------------------------------------

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
    (cd / && setsid setpriv --reuid="$user" --regid="$group" --init-groups \
        env -i HOME="$home" USER="$user" LOGNAME="$user" PATH="$default_path" LANG=C.UTF-8 \
        "$kiln" --config "$config" runner </dev/null >>"$log" 2>&1 &)
    note "systemd does not run here: started a runner in the background as $user (log $log);"
    note "when it is not running, the next push starts one"
}

# ---- the whole box -----------------------------------------------------------------

install_box() {
    local url="" addr="" where=""
    kiln_ensure_packages build run
    build_and_install kiln kiln-hook
    case "$registry" in
        local)
            if [ -n "$registry_addr" ]; then
                addr="$registry_addr" where=given
            elif addr="$(tailscale_ip)" && [ -n "$addr" ]; then
                addr="$addr:5000" where=tailscale
            else
                addr=127.0.0.1:5000 where=loopback
            fi
            url="http://$addr" ;;
        none) ;;
        *) url="$registry" ;;
    esac
    git_root=/srv/git state_dir=/var/lib/kiln secrets_dir="$etc_dir/secrets"
    write_config "$url"
    git_root="$(config_value git_root)" state_dir="$(config_value state_dir)" secrets_dir="$(config_value secrets_dir)"
    setup_user
    if [ -n "$addr" ]; then
        setup_registry "$addr"
    fi
    check_config_url "$url"
    setup_runner
    print_next_steps "$where" "$addr"
}

print_next_steps() {
    local where="$1" addr="$2" host
    host="$(this_host)"
    echo
    echo "kiln is set up on $host. Next:"
    echo
    echo "1. Let a developer push: add their public key (e.g. ~/.ssh/id_ed25519.pub, copied here):"
    echo "     sudo -u $user tee -a $home/.ssh/authorized_keys < id_ed25519.pub"
    echo "2. Make a repository for an app (examples/app in this checkout is one):"
    echo "     sudo -u $user $kiln init app"
    echo "3. On the developer's machine, in the app's git repository:"
    echo "     git remote add build $user@$host:$git_root/app.git"
    echo "     git push build main"
    echo "   Follow a build later: ssh $user@$host kiln logs app -f"
    echo "4. A deploy host pulls from the registry and runs the app; in a kiln checkout there:"
    case "$where" in
        tailscale | given) echo "     sudo ./install.sh --deploy-host $addr" ;;
        loopback)
            echo "     sudo ./install.sh --deploy-host ADDRESS:5000"
            echo "   The registry listens on 127.0.0.1:5000: only this box reaches it. For a deploy host,"
            echo "   start Tailscale here (tailscale up) and run install.sh again, or give an address on a"
            echo "   private network: sudo ./install.sh --registry-addr ADDRESS:5000 (it has no auth: never"
            echo "   a public address), then set registry.url to http://ADDRESS:5000 in $config." ;;
        *)
            if [ "$registry" != none ]; then
                echo "     sudo ./install.sh --deploy-host ${registry#*://}"
            else
                echo "     (no registry: --registry none)"
            fi ;;
    esac
    if "$kiln" doctor --help >/dev/null 2>&1; then
        echo "5. Check the box at any time: sudo -u $user kiln doctor"
    fi
}

# ---- a deploy host -------------------------------------------------------------------

install_deploy_host() {
    kiln_ensure_packages build
    build_and_install kiln
    write_config "$deploy_registry"
    check_config_url "$deploy_registry"
    install_file 755 root:root "$stage_dir$libexec_dir/deploy.sh" "$libexec_dir/deploy.sh"
    step "kiln watch: $watch_env, the kiln-watch unit"
    if ! id "$watch_user" >/dev/null 2>&1; then
        useradd --system --create-home --home-dir "/var/lib/$watch_user" --shell /usr/sbin/nologin \
            --comment "kiln watch: deploys the app" "$watch_user"
        note "created the user $watch_user"
    fi
    local listen ip
    ip="$(tailscale_ip)"
    listen="${ip:-127.0.0.1}:9000"
    if [ ! -e "$watch_env" ]; then
        (umask 077 && printf 'KILN_WATCH_IMAGE=app:latest\nKILN_WATCH_LISTEN=%s\nKILN_WATCH_TOKEN=%s\n' \
            "$listen" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$watch_env")
        note "wrote $watch_env"
    else
        note "$watch_env exists: left as it is"
    fi
    local KILN_WATCH_LISTEN KILN_WATCH_TOKEN KILN_WATCH_IMAGE
    # shellcheck disable=SC1090  # written just above or by an earlier run
    source "$watch_env"
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
        echo "         --token $KILN_WATCH_TOKEN --exec $libexec_dir/deploy.sh"
    elif [ "$ready" = 0 ]; then
        echo "2. Install docker (apt-get install docker.io), then: sudo systemctl enable --now kiln-watch"
    else
        echo "2. kiln-watch.service deploys $KILN_WATCH_IMAGE with $libexec_dir/deploy.sh: journalctl -u kiln-watch -f"
    fi
    echo "3. To deploy within a second of each build, add to the app's .kiln.yml:"
    echo "     notify:"
    echo "       - url: http://${ip:-THIS-HOST}:9000/hook?token=$KILN_WATCH_TOKEN"
    [ -n "$ip" ] || echo "   (the watcher listens on 127.0.0.1:9000: set KILN_WATCH_LISTEN in $watch_env to an address the box reaches)"
}

# ---- uninstall -------------------------------------------------------------------------

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
    for name in "$bin_dir/kiln" "$bin_dir/kiln-hook" "$libexec_dir/deploy.sh" "$registry_config" "$run_dir" "$cache_dir"; do
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

case "$action" in
    box) install_box ;;
    deploy) install_deploy_host ;;
    uninstall) uninstall ;;
esac

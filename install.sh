#!/usr/bin/env bash
# Sets up a kiln build box on Debian/Ubuntu: `sudo ./install.sh`.
# Idempotent: run it again after a `git pull` to rebuild and reinstall; it
# never overwrites /etc/kiln/config.yaml or an existing user's settings.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: sudo ./install.sh [--prefix DIR] [--registry [ADDR]] [--no-service] [--no-tests] [--help]

  1. apt-get installs what kiln needs to build and run (packages.txt; nothing when
     everything is installed)
  2. builds kiln (in /var/cache/kiln/build, RelWithDebInfo) and runs its unit tests
  3. installs it, stripped: DIR/bin/kiln and DIR/bin/kiln-hook (DIR: --prefix,
     default /usr/local)
  4. creates the user 'git' (home /srv/git, a normal shell so `ssh git@box kiln ...`
     works, subordinate uid/gid ranges so buildah and podman build images without
     a daemon), /srv/git and /var/lib/kiln owned by it, /etc/kiln/secrets (0700)
  5. writes /etc/kiln/config.yaml from the sample when it does not exist
  6. installs the kiln-runner systemd unit and enables it, when systemd runs

  --registry [ADDR]  also configure the Debian docker-registry to listen on ADDR
                     (default 127.0.0.1:5000) with deletes enabled, and (re)start it
  --no-service       do not install or enable the systemd unit
  --no-tests         skip the unit tests
Then: add developers' keys to /srv/git/.ssh/authorized_keys and run
  sudo -u git kiln init app      # then: git push git@box:/srv/git/app.git main
USAGE
}

prefix=/usr/local
registry_addr=""
service=1
tests=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift ;;
        --registry)
            registry_addr=127.0.0.1:5000
            if [ $# -gt 1 ] && [[ "$2" != -* ]]; then registry_addr="$2"; shift; fi ;;
        --no-service) service=0 ;;
        --no-tests) tests=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 1 ;;
    esac
    shift
done

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run it as root: sudo ./install.sh" >&2
    exit 1
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"
# shellcheck source=tools/deps.sh
source tools/deps.sh
step() { echo "==> $*"; }
systemd_runs() { [ -d /run/systemd/system ]; }

kiln_ensure_packages build run

# Outside the checkout: a build tree is over a gigabyte, and a cache (kept so
# that a re-run after `git pull` rebuilds only what changed).
build="${KILN_INSTALL_BUILD_DIR:-/var/cache/kiln/build}"
step "building kiln in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build" -j"$(nproc)"
if [ "$tests" = 1 ]; then
    step "unit tests"
    unit_log="$build/unit-tests.log"
    if ! (cd "$build" && ctest -L unit --output-on-failure -j"$(nproc)") >"$unit_log" 2>&1; then
        cat "$unit_log"
        echo "install.sh: unit tests failed (log: $unit_log); nothing was installed" >&2
        exit 2
    fi
    grep -E '^[0-9]+% tests passed' "$unit_log"
fi
step "installing into $prefix"
cmake --install "$build" --prefix "$prefix" --strip >/dev/null
kiln="$prefix/bin/kiln"
"$kiln" version

step "user git, /srv/git, /var/lib/kiln"
if ! id git >/dev/null 2>&1; then
    useradd --system --create-home --home-dir /srv/git --shell /bin/bash --comment "kiln git repositories" git
fi
# useradd --system gives no subordinate ids, and without them buildah and
# podman fail as this user ("error setting supplemental groups list").
subid_range() { awk -F: -v u="$1" '$1 == u { found = 1 } END { exit !found }' "$2"; }
free_subid_start() { awk -F: 'BEGIN { top = 100000 } { if ($2 + $3 > top) top = $2 + $3 } END { print top }' "$1"; }
for kind in uid gid; do
    file="/etc/sub$kind"
    touch "$file"
    if ! subid_range git "$file"; then
        start="$(free_subid_start "$file")"
        usermod "--add-sub${kind}s" "$start-$((start + 65535))" git
    fi
done
# A locked account ('!') cannot log in even with a key when sshd runs without PAM.
if [ "$(getent shadow git | cut -d: -f2)" = '!' ]; then
    usermod -p '*' git
fi
install -d -o git -g git -m 755 /srv/git /var/lib/kiln
install -d -o git -g git -m 700 /srv/git/.ssh
install -d -m 755 /etc/kiln
install -d -o git -g git -m 700 /etc/kiln/secrets

if [ -e /etc/kiln/config.yaml ]; then
    step "/etc/kiln/config.yaml exists: left as it is"
else
    step "writing /etc/kiln/config.yaml from the sample"
    install -m 644 config/kiln.yaml /etc/kiln/config.yaml
fi
"$kiln" config check /etc/kiln/config.yaml

if [ -n "$registry_addr" ]; then
    step "docker-registry on $registry_addr with deletes enabled"
    registry_config=/etc/docker/registry/config.yml
    if [ -e "$registry_config" ] && [ ! -e "$registry_config.before-kiln" ]; then
        cp -p "$registry_config" "$registry_config.before-kiln"
    fi
    install -d /etc/docker/registry
    cat >"$registry_config" <<REGISTRY
# Written by kiln's install.sh (the previous file: config.yml.before-kiln).
version: 0.1
log:
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  # kiln image rm/prune and image.keep delete manifests.
  delete:
    enabled: true
http:
  addr: $registry_addr
  headers:
    X-Content-Type-Options: [nosniff]
REGISTRY
    if systemd_runs; then
        systemctl enable docker-registry >/dev/null 2>&1 || true
        systemctl restart docker-registry
    else
        echo "systemd does not run here: start it with 'docker-registry serve $registry_config'"
    fi
fi

if [ "$service" = 1 ]; then
    unit=kiln-runner.service
    step "systemd unit $unit"
    install -m 644 "$build/$unit" "/etc/systemd/system/$unit"
    if systemd_runs; then
        systemctl daemon-reload
        systemctl enable "$unit" >/dev/null
        systemctl restart "$unit"
    else
        echo "systemd does not run here: the hook starts a runner itself on the first push"
    fi
fi

echo
echo "kiln is installed: $kiln"
echo "next: add keys to /srv/git/.ssh/authorized_keys, then 'sudo -u git $kiln init app'"
host="$(hostname -f 2>/dev/null || true)"
host="${host:-$(uname -n)}"
echo "      and push: git push git@$host:/srv/git/app.git main"

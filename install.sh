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
  5. /etc/kiln/config.yaml from the sample, with registry.url set (and for the
     local registry registry.gc, for `sudo kiln image gc`), once: a re-run
     never overwrites it and says when the sample changed since
  6. a registry: Debian's docker-registry with kiln's config /etc/kiln/registry.yml
     (deletes enabled, a random http.secret kept in /etc/kiln/registry.secret),
     listening on this box's Tailscale address, port 5000, when `tailscale ip -4`
     answers, else on 127.0.0.1:5000; the kiln-registry systemd unit, or without
     systemd a background process (/run/kiln/registry.pid, /var/log/kiln/registry.log);
     PREFIX/libexec/kiln/restart-registry restarts it either way (registry.gc.restart)
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
# shellcheck source=tools/install/common.sh
source tools/install/common.sh
# shellcheck source=tools/install/build.sh
source tools/install/build.sh
# shellcheck source=tools/install/box.sh
source tools/install/box.sh
# shellcheck source=tools/install/registry.sh
source tools/install/registry.sh
# shellcheck source=tools/install/deploy_host.sh
source tools/install/deploy_host.sh
# shellcheck source=tools/install/uninstall.sh
source tools/install/uninstall.sh

bin_dir="$prefix/bin"
kiln="$bin_dir/kiln"
libexec_dir="$prefix/libexec/kiln"
etc_dir=/etc/kiln
config="$etc_dir/config.yaml"
config_sample="$etc_dir/config.yaml.sample"
registry_config="$etc_dir/registry.yml"
registry_secret="$etc_dir/registry.secret"
registry_restart="$libexec_dir/restart-registry"
registry_user=docker-registry
registry_storage=/var/lib/docker-registry
watch_env="$etc_dir/watch.env"
watch_token="$etc_dir/watch.token"
watch_user="kiln-watch"
cache_dir=/var/cache/kiln
build_dir="$cache_dir/build"
stage_dir="$cache_dir/stage"
run_dir=/run/kiln
log_dir=/var/log/kiln
unit_dir=/etc/systemd/system
default_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

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
    write_config "$url" "${addr:+$registry_restart}"
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
    local where="$1" addr="$2" host cmd="$kiln"
    host="$(this_host)"
    # The short name where an ssh session's PATH finds it.
    case "$bin_dir" in /usr/local/bin | /usr/bin) cmd=kiln ;; esac
    case "$addr" in 127.* | localhost:*) where=loopback ;; esac
    echo
    echo "kiln is set up on $host. Next:"
    echo
    echo "1. Let a developer push: add their public key (e.g. ~/.ssh/id_ed25519.pub, copied here):"
    echo "     sudo -u $user tee -a $home/.ssh/authorized_keys < id_ed25519.pub"
    echo "2. Make a repository for an app (examples/app in this checkout is one):"
    echo "     sudo -u $user $cmd init app"
    echo "3. On the developer's machine, in the app's git repository:"
    echo "     git remote add build $user@$host:$git_root/app.git"
    echo "     git push build main"
    echo "   Follow a build later: ssh $user@$host $cmd logs app -f"
    echo "4. A deploy host pulls from the registry and runs the app; in a kiln checkout there:"
    case "$where" in
        tailscale | given) echo "     sudo ./install.sh --deploy-host $addr" ;;
        loopback)
            echo "     sudo ./install.sh --deploy-host ADDRESS:${addr##*:}"
            echo "   The registry listens on $addr: only this box reaches it. For a deploy host, start"
            echo "   Tailscale here (tailscale up) and run install.sh again, or give an address on a private"
            echo "   network: sudo ./install.sh --registry-addr ADDRESS:${addr##*:} (it has no auth: never a"
            echo "   public address); then set registry.url to http://ADDRESS:${addr##*:} in $config." ;;
        *)
            if [ "$registry" != none ]; then
                echo "     sudo ./install.sh --deploy-host ${registry#*://}"
            else
                echo "     (no registry: --registry none)"
            fi ;;
    esac
    echo "5. Check the box at any time: sudo -u $user $cmd doctor"
}

case "$action" in
    box) install_box ;;
    deploy) install_deploy_host ;;
    uninstall) uninstall ;;
esac

#!/usr/bin/env bash
# The newcomer's path on a fresh machine: bootstraps a clean Debian 12 root
# (mmdebstrap; the tarball is cached), gives it its own user, pid, mount and
# uts namespaces (its uids are host ids far above any the host hands out),
# clones the commit under test into it and runs walkthrough.sh there: the
# README's `sudo ./install.sh`, a push of examples/app over SSH, the image in
# the installed registry, a kiln watch deploying it, kiln doctor, a second
# install changing nothing, --uninstall keeping the repositories.
# Run as root: tests/fresh-root/run.sh (tests/run.sh runs it as a stage).
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: tests/fresh-root/run.sh [--keep] [--help]

Bootstraps Debian 12 with mmdebstrap and walks README.md's path inside it, as root.
  --keep   keep the root and its logs (the path is printed at the end)
Environment: KILN_FRESH_ROOT_CACHE (default /var/cache/kiln-fresh-root): the root's
tarball, the compiler cache and the packages apt downloaded, kept for the next run;
KILN_KEEP_TMP=1 keeps the root as --keep does, KILN_KEEP_TMP=failed when the test fails.
USAGE
}

keep=0
case "${KILN_KEEP_TMP:-0}" in 1) keep=1 ;; failed) keep=failed ;; esac
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "tests/fresh-root/run.sh: unknown argument '$1'" >&2; usage >&2; exit 1 ;;
    esac
    shift
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=lib/steps.sh
source "$here/lib/steps.sh"
# shellcheck source=lib/userns.sh
source "$here/lib/userns.sh"
# shellcheck source=lib/bootstrap.sh
source "$here/lib/bootstrap.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: fresh-root: needs root (mmdebstrap, namespaces)" >&2; exit 77; }
for command in mmdebstrap unshare nsenter chroot git ss tar; do
    command -v "$command" >/dev/null || fail "needs '$command' (tests/run.sh installs it: packages.txt)"
done
# The root shares the host's network, and install.sh's registry listens on
# 127.0.0.1:5000: it must not meet one of the host's.
if [ -n "$(ss -Htln 'sport = :5000')" ]; then
    fail "127.0.0.1:5000 is taken on this machine, and install.sh's registry listens there in the root: stop what listens there (ss -tlnp 'sport = :5000') and run again"
fi

FRESH_CACHE="${KILN_FRESH_ROOT_CACHE:-/var/cache/kiln-fresh-root}"
mkdir -p "$FRESH_CACHE/debs" "$FRESH_CACHE/ccache"
work="$(mktemp -d /var/tmp/kiln-fresh-root.XXXXXX)"
chmod 755 "$work"   # the namespace's root reaches the root through it
root="$work/root"
FRESH_OUT="$work/out"
FRESH_ROOT_TIMES="$work/times"
mkdir -p "$FRESH_OUT"
status=1
ns_pid=""

finish() {
    step_end
    set +e
    # The namespace's first process: killing it ends every process in the root.
    if [ -n "$ns_pid" ]; then
        local init
        for init in $(cat "/proc/$ns_pid/task/$ns_pid/children" 2>/dev/null); do kill -KILL "$init"; done
        kill -KILL "$ns_pid" 2>/dev/null
        wait "$ns_pid" 2>/dev/null
    fi
    userns_stop
    [ ! -d "$root/var/cache/apt/archives" ] || keep_new_debs "$root/var/cache/apt/archives"
    [ ! -f "$root/fresh-root/out/times" ] || cat "$root/fresh-root/out/times" >>"$FRESH_ROOT_TIMES"
    print_times
    if [ "$keep" = 1 ] || { [ "$keep" = failed ] && [ "$status" -ne 0 ]; }; then
        echo "kept $work (the root: $root, its logs: $root/fresh-root/out)"
    else
        rm -rf "$work"
    fi
}
trap finish EXIT
trap 'exit 130' INT TERM

step "bootstrap Debian 12 with mmdebstrap (cached in $FRESH_CACHE)"
tarball="$(root_tarball)"

step "unpack the root, its ids mapped to host ids from $FRESH_ID_BASE"
userns_start
mkdir -p "$root"
chown "$FRESH_ID_BASE:$FRESH_ID_BASE" "$root" "$FRESH_CACHE/ccache"
[ -e "$FRESH_CACHE/ccache/ccache.conf" ] || echo "max_size = 4G" >"$FRESH_CACHE/ccache/ccache.conf"
as_ns_root tar -xpf "$tarball" -C "$root" --numeric-owner --exclude='./dev/*'
"$here/link-debs.sh" "$root/var/cache/apt/archives" "$FRESH_CACHE"

step "copy in the commit under test and the walkthrough"
commit="$(git -C "$repo" rev-parse HEAD)"
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
    echo "note: $repo has uncommitted changes; the root gets the commit $commit only"
# A bundle of the commit as branch main: the newcomer clones it as they would
# clone kiln's repository (a bundle, since the root cannot reach the host's
# files as an owner git trusts).
{
    git init -q --bare "$work/kiln.git" &&
        git -C "$repo" push -q "$work/kiln.git" "$commit:refs/heads/main" &&
        git -C "$work/kiln.git" symbolic-ref HEAD refs/heads/main &&
        git -C "$work/kiln.git" bundle create "$work/kiln.bundle" HEAD main
} >"$FRESH_OUT/bundle.log" 2>&1 || fail "making the bundle of $commit: $(cat "$FRESH_OUT/bundle.log")"
as_ns_root mkdir -p "$root/fresh-root/lib" "$root/fresh-root/out"
as_ns_root cp "$work/kiln.bundle" "$root/fresh-root/kiln.bundle"
as_ns_root cp "$here/walkthrough.sh" "$root/fresh-root/"
as_ns_root cp "$here/lib/steps.sh" "$root/fresh-root/lib/"
echo "  $commit ($(git -C "$repo" log -1 --format=%s "$commit"))"
step_end

as_ns_root unshare --pid --mount --uts --fork --kill-child --mount-proc="$root/proc" \
    "$here/enter.sh" "$root" "$FRESH_CACHE/ccache" &
ns_pid=$!
wait "$ns_pid" && status=0 || status=$?
ns_pid=""
exit "$status"

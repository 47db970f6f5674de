# Sourced by tests/fresh-root/run.sh: the clean Debian 12 root as a tarball,
# made once by mmdebstrap and kept in the cache dir, so that a re-run on the
# same machine skips the bootstrap.
#
# The root is what a new Debian 12 machine has (required and important
# packages: debootstrap's set), plus what a newcomer brings to it: sudo, and
# git to clone kiln. ccache is the test's own: it keeps the compiler's work
# between runs (walkthrough.sh says how it is used).

fresh_suite=bookworm
fresh_mirrors=(
    "deb http://deb.debian.org/debian bookworm main"
    "deb http://deb.debian.org/debian bookworm-updates main"
    "deb http://deb.debian.org/debian-security bookworm-security main"
)
fresh_bootstrap_args=(--variant=debootstrap --include=sudo,git,ccache)
fresh_link_debs="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/link-debs.sh"

# keep_new_debs DIR: the packages apt downloaded into DIR (one link only: not
# one of ours) go to the cache for the next run.
keep_new_debs() {
    mkdir -p "$FRESH_CACHE/debs"
    find "$1" -maxdepth 1 -name '*.deb' -links 1 -exec mv --no-clobber -t "$FRESH_CACHE/debs" {} + 2>/dev/null || true
}

# root_tarball: prints the path of the cached tarball, bootstrapping it first
# when no tarball of these arguments exists.
root_tarball() {
    local key tarball
    key="$( { mmdebstrap --version; printf '%s\n' "$fresh_suite" "${fresh_bootstrap_args[@]}" "${fresh_mirrors[@]}"; } |
        sha256sum | cut -c1-16)"
    tarball="$FRESH_CACHE/debian-$fresh_suite-$key.tar"
    if [ -s "$tarball" ]; then
        echo "cached: $tarball" >&2
    else
        echo "mmdebstrap $fresh_suite (log: $FRESH_OUT/bootstrap.log)" >&2
        local hook
        # shellcheck disable=SC2016  # $1: the root, which mmdebstrap passes to the hook
        hook="$(printf '%q' "$fresh_link_debs") \"\$1/var/cache/apt/archives\" $(printf '%q' "$FRESH_CACHE")"
        rm -f "$FRESH_CACHE"/debian-*.tar "$tarball.part"
        if ! mmdebstrap "${fresh_bootstrap_args[@]}" --setup-hook="$hook" --skip=download/empty \
                --format=tar "$fresh_suite" "$tarball.part" "${fresh_mirrors[@]}" >"$FRESH_OUT/bootstrap.log" 2>&1; then
            tail -n 40 "$FRESH_OUT/bootstrap.log" >&2
            rm -f "$tarball.part"
            return 1
        fi
        mv "$tarball.part" "$tarball"
    fi
    echo "$tarball"
}

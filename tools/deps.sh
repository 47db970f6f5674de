# Sourced by install.sh and tests/run.sh: installs the Debian packages that
# packages.txt lists for the given sections, and nothing when all are present
# (so a re-run is fast and works offline).

kiln_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# kiln_packages SECTION...: the packages of those sections, one per line, unique.
kiln_packages() {
    local sections=" $* "
    sed -e 's/#.*//' "$kiln_repo_root/packages.txt" |
        awk -v want="$sections" 'NF >= 2 && index(want, " " $1 " ") { print $2 }' |
        sort -u
}

# kiln_missing_packages SECTION...: those not installed yet.
kiln_missing_packages() {
    local package
    for package in $(kiln_packages "$@"); do
        if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != installed ]; then
            echo "$package"
        fi
    done
}

# kiln_ensure_packages SECTION...: apt-get installs what is missing, as root
# or through sudo; says what it does.
kiln_ensure_packages() {
    if ! command -v dpkg-query >/dev/null; then
        echo "kiln: no dpkg here: install these packages by hand: $(kiln_packages "$@" | tr '\n' ' ')" >&2
        return 1
    fi
    local missing
    missing="$(kiln_missing_packages "$@" | tr '\n' ' ')"
    if [ -z "${missing// /}" ]; then
        echo "==> packages ($*): all installed"
        return 0
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "kiln: missing packages: $missing; run as root or install sudo" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    echo "==> installing packages: $missing"
    # shellcheck disable=SC2086  # one word per package
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

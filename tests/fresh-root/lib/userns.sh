# Sourced by tests/fresh-root/run.sh: a user namespace whose uids and gids
# 0..FRESH_ID_COUNT-1 are host ids FRESH_ID_BASE.., far above any the host
# hands out, so nothing in the root can act as a host user (the root's own
# root is host uid FRESH_ID_BASE). The count covers the users install.sh
# creates and their subordinate ranges (100000 + 65536 each), which buildah
# maps as the git user.
#
# unshare --map-users runs newuidmap, which wants the range in the host's
# /etc/subuid for root; writing uid_map ourselves (as host root) needs nothing
# changed on the host. A holder process owns the namespace: unshare --user,
# then sleep; we write its maps and enter it with nsenter.

FRESH_ID_BASE=1879048192   # 0x70000000
FRESH_ID_COUNT=1048576

fresh_holder_pid=""

# userns_start: starts the holder and maps its ids.
userns_start() {
    local own i
    own="$(readlink /proc/self/ns/user)"
    unshare --user -- sleep infinity &
    fresh_holder_pid=$!
    for i in $(seq 50); do
        [ "$(readlink "/proc/$fresh_holder_pid/ns/user" 2>/dev/null)" != "$own" ] && break
        sleep 0.1
    done
    [ "$(readlink "/proc/$fresh_holder_pid/ns/user" 2>/dev/null)" != "$own" ] ||
        fail "unshare --user made no user namespace"
    echo "0 $FRESH_ID_BASE $FRESH_ID_COUNT" >"/proc/$fresh_holder_pid/uid_map" ||
        fail "writing the user namespace's uid_map"
    echo "0 $FRESH_ID_BASE $FRESH_ID_COUNT" >"/proc/$fresh_holder_pid/gid_map" ||
        fail "writing the user namespace's gid_map"
}

userns_stop() {
    [ -z "$fresh_holder_pid" ] || kill "$fresh_holder_pid" 2>/dev/null || true
    fresh_holder_pid=""
}

# as_ns_root COMMAND...: runs COMMAND as the namespace's root (uid 0 inside,
# FRESH_ID_BASE on the host), in the host's other namespaces.
as_ns_root() { nsenter --user --target "$fresh_holder_pid" -- "$@"; }

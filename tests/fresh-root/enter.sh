#!/usr/bin/env bash
# Run by tests/fresh-root/run.sh as the first process of the root's own pid,
# mount and uts namespaces (and as root of its user namespace), still in the
# host's file system: mounts what a booted machine has (/dev, /run, /sys;
# unshare --mount-proc mounted /proc), names the machine, and becomes the
# walkthrough inside the root. Every mount here lives in this mount
# namespace only, and whatever the walkthrough starts dies with it.
# usage: enter.sh ROOT CCACHE_DIR
set -euo pipefail
root="$1" ccache_dir="$2"

# The root becomes this namespace's root by pivot_root, not chroot: in a
# chroot the kernel refuses unshare(CLONE_NEWUSER), which buildah needs as
# the git user. pivot_root wants the new root to be a mount (carrying /proc,
# which unshare mounted).
mount --rbind "$root" "$root"
mount -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
for node in null zero full random urandom tty; do
    touch "$root/dev/$node"
    mount --bind "/dev/$node" "$root/dev/$node"
done
mkdir -p "$root/dev/pts" "$root/dev/shm"
# sudo runs commands in a pty of their own (Debian's sudoers: use_pty).
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
mount --rbind /sys "$root/sys"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"
mkdir -p "$root/var/cache/ccache"
mount --bind "$ccache_dir" "$root/var/cache/ccache"

hostname buildbox
# A session of its own, as a login has: without one, every process inside
# belongs to a process group whose leader is outside this pid namespace,
# and getpgrp() returns 0 (which kiln's leader files rightly refuse).
cd "$root"
mkdir -p .host
pivot_root . .host
exec setsid --wait /bin/sh -c 'umount -l /.host && rmdir /.host && cd / && exec /fresh-root/walkthrough.sh'

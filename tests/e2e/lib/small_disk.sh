# A state dir on a tmpfs of its own, so a test can fill the disk kiln writes to
# for real (ENOSPC from the kernel). Source after tests/e2e/lib/ssh.sh and call
# state_dir_on_small_tmpfs after kiln_fixture (it needs root, as that does).

# state_dir_on_small_tmpfs SIZE: mounts a tmpfs of SIZE (`4m`) over $STATE_DIR,
# owned by the test user. Lazily unmounted at exit: the runner may still hold
# runner.lock open until the test user's processes are killed after it.
state_dir_on_small_tmpfs() {
    need_cmd mount umount dd stat
    mount -t tmpfs -o "size=$1,mode=0755" tmpfs "$STATE_DIR"
    on_exit umount -l "$STATE_DIR"
    chown "$KILN_USER:" "$STATE_DIR"
}

# fill_state_dir: writes $STATE_DIR/filler until nothing more fits.
fill_state_dir() {
    dd if=/dev/zero of="$STATE_DIR/filler" bs=4k 2>/dev/null || true
    assert_eq "$(stat -f -c %a "$STATE_DIR")" 0 "free blocks in the state dir after filling it"
}

free_state_dir() { rm -f "$STATE_DIR/filler"; }

# temp_files: every write-temp-then-rename file left in the state dir.
temp_files() { find "$STATE_DIR" -name '*.tmp.*' -print; }

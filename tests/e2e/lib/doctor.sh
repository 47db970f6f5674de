# Sourced after common.sh by the doctor_* scenarios: a box set up as the e2e
# lib sets one up (lib/ssh.sh's user, sshd, kiln copy and config, and
# lib/registry.sh's registry), with the state_dir and secrets_dir modes
# install.sh gives (0700). `app` is pushed with a .kiln.yml whose builds run buildah (env
# BUILDER), and the runner that push started stays alive.
#
#   doctor_box           sets all that up; sets DOCTOR_KILN, how doctor's
#                        fixes name the test's kiln
#   doctor_green_lines   the lines `kiln doctor` prints for that box, the
#                        disk lines aside
#   runner_fix           the fix doctor gives for a runner that is not running
#   doctor_lines_without_disk FILE   FILE without the disk lines
#   doctor_hook_fails_until_init LINE  doctor fails LINE and nothing else,
#                        and passes after the fix `kiln init app`

source "$(dirname "${BASH_SOURCE[0]}")/ssh.sh"
source "$(dirname "${BASH_SOURCE[0]}")/registry.sh"
need_cmd jq buildah make

runner_alive() { [ -n "$(runner_pids)" ]; }

doctor_box() {
    registry_start
    KILN_REGISTRY_URL="$REGISTRY_URL"
    kiln_app_fixture
    chmod 700 "$STATE_DIR" "$SECRETS_DIR"
    DOCTOR_KILN="$KILN --config $KILN_CONFIG_FILE"
    commit_file .kiln.yml "$(printf 'env: {BUILDER: buildah}\nimage: false')"
    commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
    git_push origin main
    wait_for_status app 1 success
    wait_until 10 runner_alive || fail "the push started no runner"
}

# The first program named $1 on the builds' default PATH (runner.path).
runner_path_tool() { PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v "$1"; }

# subid_ranges FILE: the test user's ranges in FILE as doctor lists them.
subid_ranges() {
    awk -F: -v u="$KILN_USER" '$1 == u { printf "%s%d-%d", sep, $2, $2 + $3 - 1; sep = ", " }' "$1"
}

doctor_green_lines() {
    local sha
    sha="$(git -C "$CLONE" rev-parse HEAD)"
    cat <<LINES
ok   config: $KILN_CONFIG_FILE is valid
ok   git_root: $GIT_ROOT (owner $KILN_USER, mode 0755)
ok   state_dir: $STATE_DIR (owner $KILN_USER, mode 0700)
ok   secrets_dir: $SECRETS_DIR (owner $KILN_USER, mode 0700)
ok   hook app: runs $KILN --config $KILN_CONFIG_FILE
ok   repo app: config at ${sha:0:8} (HEAD) is valid; builds with buildah (env BUILDER)
ok   runner: running, pid $(cat "$STATE_DIR/runner.lock") (it holds $STATE_DIR/runner.lock)
ok   registry: $REGISTRY_URL answers
ok   registry deletes: $REGISTRY_URL deletes manifests
ok   git: $(runner_path_tool git)
ok   make: $(runner_path_tool make)
ok   buildah: $(runner_path_tool buildah), used by app
ok   subuid: $KILN_USER has $(subid_ranges /etc/subuid) in /etc/subuid
ok   subgid: $KILN_USER has $(subid_ranges /etc/subgid) in /etc/subgid
ok   sandbox: bubblewrap
LINES
}

doctor_lines_without_disk() { grep -v '^[a-zA-Z]* *disk ' "$1" || true; }

runner_fix() {
    local unit
    if [ -d /run/systemd/system ]; then
        for unit in /etc/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
            if [ -e "$unit/kiln-runner.service" ]; then
                echo "sudo systemctl start kiln-runner"
                return
            fi
        done
    fi
    echo "$DOCTOR_KILN runner >>$STATE_DIR/runner.log 2>&1 &"
}

doctor_hook_fails_until_init() {
    assert_status 1 kiln_as_user doctor
    assert_file_line "$T/out" "$1"
    assert_eq "$(grep -c '^FAIL ' "$T/out")" 1 "failed checks"

    step "the fix"
    kiln_as_user init app >/dev/null
    assert_status 0 kiln_as_user doctor
}

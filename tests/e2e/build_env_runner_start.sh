#!/usr/bin/env bash
# Builds see one environment however the long-lived runner was started: by a
# push over ssh (the hook's PATH holds /usr/lib/git-core, sshd sets SSH_*) or
# by `kiln rebuild` typed in a shell with an odd PATH, a locale and extra
# variables. Only what legitimately differs between two builds of one commit
# (KILN_BUILD) may differ.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture
envs="$(user_dir envs)"

commit_makefile <<MAKEFILE
build:
    @env | sort >$envs/env.\$\$KILN_BUILD
MAKEFILE

# stop_runner: SIGTERM to the test user's runner (started by this test), then
# wait until it is gone, so the next build starts a new one.
stop_runner() {
    local pids
    pids="$(runner_pids)"
    [ -n "$pids" ] || fail "no runner is running"
    # shellcheck disable=SC2086
    kill -TERM $pids
    wait_until 30 sh -c "[ -z \"\$(pgrep -u '$KILN_USER' -f -- '$KILN --config $KILN_CONFIG_FILE runner')\" ]" ||
        fail "the runner did not stop"
}

# runner_env: the running runner's own environment, one variable a line.
runner_env() { tr '\0' '\n' <"/proc/$(runner_pids | head -n 1)/environ"; }

# comparable N: build N's environment without what differs from build to
# build (its number, its step id) and with its commit id as <sha>.
comparable() {
    grep -v -e '^KILN_BUILD=' "$envs/env.$1" | sed "s/$(build_field app "$1" sha)/<sha>/g"
}

step "build 1: the runner is started by a push over ssh"
git_push origin main
assert_eq "$(build_field app 1 status)" success "status of #1"
runner_env >"$T/runner.1"
assert_file_contains "$T/runner.1" "SSH_CONNECTION="
assert_file_contains "$T/runner.1" "/usr/lib/git-core"
stop_runner

step "build 2: the runner is started by kiln rebuild with an odd environment"
ssh_user env PATH="/weird:/usr/lib/git-core:/usr/bin:/bin" FOO=bar LANG=de_DE.UTF-8 TZ=Asia/Tokyo TMPDIR=/var/tmp \
    "$KILN" --config "$KILN_CONFIG_FILE" rebuild app main >"$T/rebuild.out"
assert_file_line "$T/rebuild.out" "[kiln] build app#2 queued (follow: kiln logs app 2 -f)"
wait_for_status app 2 success
runner_env >"$T/runner.2"
assert_file_line "$T/runner.2" "FOO=bar"
assert_file_line "$T/runner.2" "PATH=/weird:/usr/lib/git-core:/usr/bin:/bin"

step "build 3: a push to the runner kiln rebuild started"
push_commit
assert_eq "$(build_field app 3 status)" success "status of #3"

for n in 1 2 3; do
    assert_file_line "$envs/env.$n" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    assert_file_line "$envs/env.$n" "HOME=$STATE_DIR/home/app"
    assert_file_line "$envs/env.$n" "USER=$KILN_USER"
    assert_file_line "$envs/env.$n" "LOGNAME=$KILN_USER"
    assert_file_line "$envs/env.$n" "SHELL=/bin/bash"
    assert_file_line "$envs/env.$n" "LANG=C.UTF-8"
    assert_file_lacks "$envs/env.$n" "FOO="
    assert_file_lacks "$envs/env.$n" "TZ="
    assert_file_lacks "$envs/env.$n" "TMPDIR="
    assert_file_lacks "$envs/env.$n" "SSH_"
    assert_file_lacks "$envs/env.$n" "GIT_"
    assert_file_lacks "$envs/env.$n" "git-core"
done
for n in 1 2 3; do comparable "$n" >"$T/env.$n"; done
diff -u "$T/env.1" "$T/env.2" >&2 ||
    fail "builds #1 (runner started by a push) and #2 (by kiln rebuild) saw different environments"
diff -u "$T/env.2" "$T/env.3" >&2 || fail "builds #2 (kiln rebuild) and #3 (a push) saw different environments"

# The exact list of names, as docs/design.md documents it (make adds its own
# MAKEFLAGS, MAKELEVEL, MAKEOVERRIDES and MFLAGS, the shell PWD; the sandbox
# the two _CONTAINERS_ ones).
sed 's/=.*//' "$envs/env.1" | sort -u | tr '\n' ' ' >"$T/names"
assert_eq "$(cat "$T/names")" "HOME IMAGE KILN_BRANCH KILN_BUILD KILN_REF KILN_REPO KILN_SHA LANG LOGNAME MAKEFLAGS MAKELEVEL MAKEOVERRIDES MFLAGS PATH PWD REGISTRY SHELL USER _CONTAINERS_ROOTLESS_UID _CONTAINERS_USERNS_CONFIGURED " "variable names"

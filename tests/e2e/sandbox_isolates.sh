#!/usr/bin/env bash
# A build in the sandbox (runner.sandbox: auto, bubblewrap here) cannot read
# another repo's secrets, worktree or build record, the git root or the git
# user's authorized_keys, and cannot write outside its worktree; its own
# secret still arrives in its environment. The same Makefile with
# `runner.sandbox: none` reads every one of them, which proves the test reads
# real files.
# Its files live outside /tmp, which the sandbox hides whole: then each of
# the git root, the state dir, the secrets dir and the home is hidden by a
# mount of its own, and the worktree is bound back under the hidden state dir.
mkdir -p -m 755 /var/lib/kiln-e2e
export TMPDIR=/var/lib/kiln-e2e
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
need_cmd bwrap unshare
kiln_fixture
kiln_as_user init alpha >/dev/null
kiln_as_user init beta >/dev/null

write_secrets() {
    echo "$2" >"$SECRETS_DIR/$1.env"
    chown "$KILN_USER:" "$SECRETS_DIR/$1.env"
    chmod 600 "$SECRETS_DIR/$1.env"
}
write_secrets alpha "SECRET_A=alpha-$RANDOM-secret"
write_secrets beta "SECRET_B=beta-$RANDOM-secret"
beta_secret="$(cut -d= -f2 "$SECRETS_DIR/beta.env")"
mkdir -p "$USER_HOME/.ssh"
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKiln kiln-e2e-marker" >"$USER_HOME/.ssh/authorized_keys"
chown -R "$KILN_USER:" "$USER_HOME/.ssh"
outside="$T/outside"
mkdir -p "$outside"
chown "$KILN_USER:" "$outside"

# alpha builds first: its worktree and build record exist when beta looks.
new_clone alpha
commit_makefile <<'MAKEFILE'
build:
    @echo alpha built
MAKEFILE
git_push origin main
assert_eq "$(build_field alpha 1 status)" success "status of alpha#1"

# beta tries each; it succeeds only when every attempt failed.
new_clone beta
commit_file probe.sh '#!/bin/sh
got=0
try() {
    what="$1"; shift
    if "$@" >/dev/null 2>&1; then echo "got: $what"; got=$((got + 1)); else echo "refused: $what"; fi
}
try "secrets of alpha" grep -q "^SECRET_A=" "$1"
try "git root" test -d "$2/alpha.git/objects"
try "build record of alpha" grep -q "alpha" "$3"
try "worktree of alpha" sh -c "find \"\$1\" -name Makefile | grep -q ." _ "$4"
try "authorized_keys" grep -q kiln-e2e-marker "$5"
try "write outside" touch "$6/written"
if [ "$SECRET_B" = "$7" ]; then echo "own secret arrived"; else echo "own secret missing"; fi
echo "refused attempts end here"
[ "$got" -eq 0 ]'
commit_makefile <<MAKEFILE
build:
    @sh probe.sh $SECRETS_DIR/alpha.env $GIT_ROOT $STATE_DIR/builds/alpha/1/build.json $STATE_DIR/work/alpha $USER_HOME/.ssh/authorized_keys $outside $beta_secret
MAKEFILE
attempts=("secrets of alpha" "git root" "build record of alpha" "worktree of alpha" "authorized_keys" "write outside")

git_push origin main
log="$STATE_DIR/builds/beta/1/log"
assert_file_line "$log" "[kiln] sandbox: bubblewrap"
for what in "${attempts[@]}"; do
    assert_file_line "$log" "refused: $what"
done
assert_file_line "$log" "own secret arrived"
assert_eq "$(build_field beta 1 status)" success "status of beta#1 in the sandbox"
[ ! -e "$outside/written" ] || fail "the sandboxed build wrote $outside/written"

step "the same Makefile without the sandbox"
# The runner the pushes started reads its config once: the next push starts
# one that reads the new one.
pids="$(runner_pids)"
# shellcheck disable=SC2086
[ -z "$pids" ] || kill -TERM $pids
wait_until 30 sh -c "[ -z \"\$(pgrep -u '$KILN_USER' -f -- '$KILN --config $KILN_CONFIG_FILE runner')\" ]" ||
    fail "the runner did not stop"
write_config "runner:" "  sandbox: none"
push_commit
log="$STATE_DIR/builds/beta/2/log"
assert_file_line "$log" "[kiln] sandbox: none (runner.sandbox: none)"
for what in "${attempts[@]}"; do
    assert_file_line "$log" "got: $what"
done
assert_file_line "$log" "own secret arrived"
assert_eq "$(build_field beta 2 status)" failed "status of beta#2 without the sandbox"
[ -e "$outside/written" ] || fail "the build without the sandbox did not write $outside/written"

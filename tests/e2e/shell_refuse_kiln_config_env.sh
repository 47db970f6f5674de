#!/usr/bin/env bash
# A client-sent KILN_CONFIG is read by kiln on a plain login (the attack is
# real) and refused by kiln shell: the attacker's config is never read.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add rita read
evil="$(user_dir evil)"
printf 'git_root: %s/git\nstate_dir: %s/state\n' "$evil" "$evil" >"$evil/config.yaml"
chmod 644 "$evil/config.yaml"
as_user "$KILN" --config "$evil/config.yaml" init stolen >/dev/null

step "on a plain login, kiln reads the client's KILN_CONFIG"
ssh "${SSH_OPTS[@]}" -o "SetEnv=KILN_CONFIG=$evil/config.yaml" -p "$SSH_PORT" "$KILN_USER@127.0.0.1" "$KILN repos" >"$T/plain.out"
assert_file_contains "$T/plain.out" "stolen"

step "kiln shell refuses it and reads its own config"
assert_refused rita -o "SetEnv=KILN_CONFIG=$evil/config.yaml" -- "kiln repos" \
    "kiln: refused: the client sent KILN_CONFIG; kiln shell takes no environment but GIT_PROTOCOL (drop it from SendEnv/SetEnv)"
[ ! -e "$evil/state/access.log" ] || fail "kiln shell wrote to the attacker's state dir"
ssh_key rita -- "kiln repos" >"$T/repos.out" 2>&1
assert_file_lacks "$T/repos.out" "stolen"

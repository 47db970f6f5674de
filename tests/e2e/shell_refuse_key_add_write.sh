#!/usr/bin/env bash
# `kiln key add` over a write key is refused and changes no key; an admin key
# may (so the refusal is the role's, not a broken command).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write
kiln_key_add ada admin
new_key eve
cp "$USER_HOME/.ssh/authorized_keys" "$T/keys.before"
cp "$STATE_DIR/keys.json" "$T/json.before"

assert_refused wendy -- "kiln key add eve - --role admin" \
    "kiln: refused 'kiln key add': key 'wendy' (role write, every repo) may not; it needs the admin role"
assert_refused wendy -- "kiln key rm ada" \
    "kiln: refused 'kiln key rm': key 'wendy' (role write, every repo) may not; it needs the admin role"
cmp "$USER_HOME/.ssh/authorized_keys" "$T/keys.before" || fail "authorized_keys changed"
cmp "$STATE_DIR/keys.json" "$T/json.before" || fail "keys.json changed"

step "the admin key adds eve"
ssh_key ada -- "kiln key add eve - --role read" <"$T/sshd/key_eve.pub" >"$T/add.out"
assert_file_contains "$T/add.out" "added key eve (read, every repo)"
assert_eq "$(jq -r '.eve.role' "$STATE_DIR/keys.json")" read "eve's role"

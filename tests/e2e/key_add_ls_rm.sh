#!/usr/bin/env bash
# `kiln key add|ls|rm` manage the user's authorized_keys: one forced-command
# line per key, a foreign line kept byte for byte, duplicates and malformed
# keys refused with nothing changed; a removed key no longer logs in.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
keys="$USER_HOME/.ssh/authorized_keys"

step "a line of the user's own, with options and odd spacing"
new_key mine
mkdir -p "$USER_HOME/.ssh"
printf 'from="127.0.0.1",no-pty   %s  \n' "$(cat "$T/sshd/key_mine.pub")" >"$keys"
chown -R "$KILN_USER:" "$USER_HOME/.ssh"
chmod 600 "$keys"
cp "$keys" "$T/foreign"

step "add: a .pub file, stdin and a key line"
new_key alice; new_key bob; new_key carol
kiln_as_user key add alice "$T/sshd/key_alice.pub" --role write --repos 'team/*' web >"$T/add.out"
fp_alice="$(ssh-keygen -lf "$T/sshd/key_alice.pub" | cut -d' ' -f2)"
assert_eq "$(cat "$T/add.out")" "added key alice (write, team/*, web) $fp_alice"
kiln_as_user key add bob - <"$T/sshd/key_bob.pub" >/dev/null
kiln_as_user key add carol "$(cat "$T/sshd/key_carol.pub")" --role admin >/dev/null

step "authorized_keys: the foreign line first, byte for byte, then one line per key"
head -c "$(stat -c %s "$T/foreign")" "$keys" | cmp - "$T/foreign" || fail "the foreign line changed"
assert_eq "$(wc -l <"$keys")" 4 "lines in authorized_keys"
for name in alice bob carol; do
    assert_file_line "$keys" "command=\"$KILN shell --config $KILN_CONFIG_FILE $name\",no-pty,no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-user-rc $(cut -d' ' -f1,2 "$T/sshd/key_$name.pub") kiln:$name"
done
assert_eq "$(stat -c '%a %U' "$keys")" "600 $KILN_USER" "mode and owner of authorized_keys"
assert_eq "$(stat -c '%a' "$STATE_DIR/keys.json")" 600 "mode of keys.json"

step "ls and ls --json"
kiln_as_user key ls >"$T/ls.out"
assert_eq "$(head -n 1 "$T/ls.out" | tr -s ' ')" "NAME ROLE REPOS KEY ADDED"
assert_eq "$(grep '^alice ' "$T/ls.out" | tr -s ' ' | cut -d' ' -f1-5)" "alice write team/*, web $fp_alice"
assert_eq "$(grep '^bob ' "$T/ls.out" | tr -s ' ' | cut -d' ' -f1-3)" "bob read *"
kiln_as_user key ls --json >"$T/ls.json"
assert_eq "$(jq -r '[.[].name] | join(",")' "$T/ls.json")" "alice,bob,carol"
assert_eq "$(jq -r '.[] | select(.name == "carol") | .role' "$T/ls.json")" admin
assert_eq "$(jq -r '.[] | select(.name == "alice") | .repos | join(",")' "$T/ls.json")" "team/*,web"
assert_eq "$(jq -r '.[] | select(.name == "alice") | .fingerprint' "$T/ls.json")" "$fp_alice"

step "refused: a taken name, a key already in, malformed keys; nothing changes"
cp "$keys" "$T/keys.before"; cp "$STATE_DIR/keys.json" "$T/json.before"
new_key dave
refused() {
    assert_status 1 kiln_as_user key add "$@"
    assert_eq "$(cat "$T/err")" "$REFUSAL" "stderr of 'kiln key add $1'"
    cmp "$keys" "$T/keys.before" || fail "authorized_keys changed after a refused 'key add $1'"
    cmp "$STATE_DIR/keys.json" "$T/json.before" || fail "keys.json changed after a refused 'key add $1'"
}
REFUSAL="kiln: error: adding key 'alice': a key of that name exists; remove it first with 'kiln key rm alice'"
refused alice "$T/sshd/key_dave.pub"
REFUSAL="kiln: error: adding key 'dave': the same public key is already key 'bob'"
refused dave "$T/sshd/key_bob.pub"
REFUSAL="kiln: error: adding key 'dave': the same public key is already in $keys on a line kiln did not write; remove that line first"
refused dave "$T/sshd/key_mine.pub"
REFUSAL="kiln: error: adding key 'dave': the public key line has options before its type ('command=\"id\"'); give the key alone: TYPE BASE64 [COMMENT]"
refused dave "command=\"id\" $(cat "$T/sshd/key_dave.pub")"
REFUSAL="kiln: error: adding key 'dave': the ssh-ed25519 key is not valid base64"
refused dave "ssh-ed25519 AAAA!!!! x"
REFUSAL="kiln: error: adding key 'dave': the public key has a line break inside; give exactly one key line"
refused dave "$(cat "$T/sshd/key_dave.pub")
$(cat "$T/sshd/key_mine.pub")"
REFUSAL="kiln: error: key name '../dave' starts with '.'"
refused ../dave "$T/sshd/key_dave.pub"

step "a kiln key logs in to kiln shell; rm ends that"
ssh_key bob -- "kiln repos" >"$T/repos.out" 2>&1 || fail "bob could not run kiln repos: $(cat "$T/repos.out")"
kiln_as_user key rm bob >"$T/rm.out"
assert_eq "$(cat "$T/rm.out")" "removed key bob"
assert_eq "$(grep -c 'kiln:bob' "$keys" || true)" 0 "bob's lines"
head -c "$(stat -c %s "$T/foreign")" "$keys" | cmp - "$T/foreign" || fail "the foreign line changed on rm"
assert_eq "$(jq -r 'keys | join(",")' "$STATE_DIR/keys.json")" "alice,carol"
status=0; ssh_key bob -- "kiln repos" >/dev/null 2>&1 || status=$?
assert_eq "$status" 255 "ssh exit status with a removed key"
assert_status 1 kiln_as_user key rm bob
assert_eq "$(cat "$T/err")" "kiln: error: removing key 'bob': no such key (list them with 'kiln key ls')"

# A stand-in for `kiln shell NAME` in tests of what the key's name becomes
# (pushed_by, cancelled_by): the forced command sets KILN_PUSHED_BY=NAME, as
# kiln shell does, and runs what the client asked. Source after ssh.sh and
# kiln_fixture.

# as_key NAME: from now on the test's key logs in with that forced command
# (sshd rereads authorized_keys at each login). NAME is put in single quotes
# as it is, so a test can try one that is no key name (`a b`, `../x`).
as_key() {
    printf 'command="KILN_PUSHED_BY='\''%s'\''; export KILN_PUSHED_BY; eval \\"$SSH_ORIGINAL_COMMAND\\"" %s\n' \
        "$1" "$(cat "$SSH_KEY.pub")" >"$T/sshd/authorized_keys"
}

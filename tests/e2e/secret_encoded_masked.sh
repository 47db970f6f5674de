#!/usr/bin/env bash
# A secret printed base64- or URL-encoded is masked in the log as the value
# itself is, and so is a value holding a carriage return, which reaches the
# log as two lines: `abcd\r`, then `EFGH`.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
need_cmd python3 base64
kiln_app_fixture

secret="p@ss w/rd?$RANDOM"
half1="abcd$RANDOM" half2="EFGH$RANDOM"
printf 'API_TOKEN=%s\nSPLIT=%s\r%s\n' "$secret" "$half1" "$half2" >"$SECRETS_DIR/app.env"
chown "$KILN_USER:" "$SECRETS_DIR/app.env"
chmod 600 "$SECRETS_DIR/app.env"
b64="$(printf '%s' "$secret" | base64 -w0)"
commit_makefile <<'MAKEFILE'
build:
    @printf 'base64 %s\n' "$$(printf '%s' "$$API_TOKEN" | base64 -w0)"
    @printf 'base64url %s\n' "$$(printf '%s' "$$API_TOKEN" | base64 -w0 | tr '+/' '-_' | tr -d =)"
    @python3 -c 'import os, urllib.parse as u; t = os.environ["API_TOKEN"]; print("url", u.quote(t, safe="")); print("form", u.quote_plus(t, safe="").lower())'
    @printf 'split %s\n' "$$SPLIT"
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status"
log="$STATE_DIR/builds/app/1/log"
assert_file_line "$log" "base64 ***"
assert_file_line "$log" "base64url ***"
assert_file_line "$log" "url ***"
assert_file_line "$log" "form ***"
# Read at once, the whole value is one `***`; read as `split abcd\r`, then
# `EFGH` (the log ends a line at \r), each half is: `split ***\r***`.
grep -qE "^split \*\*\*($(printf '\r')\*\*\*)?\$" "$log" || fail "the split value is not masked: $(grep split "$log")"
for leaked in "$secret" "$b64" "${b64%%=*}" "$half1" "$half2" "p%40ss"; do
    assert_file_lacks "$log" "$leaked"
    assert_file_lacks "$T/push.out" "$leaked"
done

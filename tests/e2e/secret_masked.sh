#!/usr/bin/env bash
# A secret from <secrets_dir>/<repo>.env reaches make, and its value never
# appears in the log or in what the pusher sees: `***` instead.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

secret="s3cr3t-$RANDOM-value"
echo "API_TOKEN=$secret" >"$SECRETS_DIR/app.env"
chown "$KILN_USER:" "$SECRETS_DIR/app.env"
chmod 600 "$SECRETS_DIR/app.env"

commit_makefile <<MAKEFILE
build:
    @echo "token is \$\$API_TOKEN"
    @test "\$\$API_TOKEN" = $secret
MAKEFILE
git_push origin main
log="$STATE_DIR/builds/app/1/log"
assert_eq "$(build_field app 1 status)" success "status (make saw the secret)"
assert_file_line "$log" "token is ***"
assert_file_lacks "$log" "$secret"
assert_file_lacks "$T/push.out" "$secret"
remote_lines >"$T/remote"
assert_file_line "$T/remote" "token is ***"

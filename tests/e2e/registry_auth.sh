#!/usr/bin/env bash
# A registry with htpasswd auth: kiln works with the configured credentials
# and says what to do without them.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: buildah builds the test images with chroot isolation"
source "$(dirname "$0")/lib/registry.sh"
source "$(dirname "$0")/lib/images.sh"
source "$(dirname "$0")/lib/registry_images.sh"

# distribution reads bcrypt only; libcrypt (through Python's crypt) writes it.
hash="$(python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=32)))')"
case "$hash" in '$2'*) ;; *) fail "no bcrypt from python3's crypt: '$hash'" ;; esac
printf 'deploy:%s\n' "$hash" >"$T/registry/htpasswd"
printf 'auth:\n  htpasswd:\n    realm: kiln-e2e\n    path: %s\n' "$T/registry/htpasswd" >>"$T/registry/config.yml"
REGISTRY_URL_CHECK="$REGISTRY_URL"
registry_start_auth() {
    docker-registry serve "$T/registry/config.yml" >>"$T/registry/log" 2>&1 &
    REGISTRY_PID=$!
    # 401 means it is up.
    wait_until 15 sh -c "curl -s -o /dev/null -w '%{http_code}' $REGISTRY_URL_CHECK/v2/ | grep -q 401" ||
        { cat "$T/registry/log" >&2; fail "registry with auth did not start"; }
}
registry_start_auth

images_build one
images_buildah push --quiet --tls-verify=false --creds deploy:s3cret localhost/one "docker://$REGISTRY_HOST/private:v1" >/dev/null

printf 'registry:\n  url: %s\n' "$REGISTRY_URL" >"$T/anonymous.yaml"
assert_status 2 "$KILN_BIN" --config "$T/anonymous.yaml" image tags private
assert_file_line "$T/err" "kiln: error: listing tags of private: registry said UNAUTHORIZED: authentication required; the registry requires credentials: set registry.username and registry.password in the kiln config"

printf 'registry:\n  url: %s\n  username: deploy\n  password: wrong\n' "$REGISTRY_URL" >"$T/wrong.yaml"
assert_status 2 "$KILN_BIN" --config "$T/wrong.yaml" image tags private
assert_file_line "$T/err" "kiln: error: listing tags of private: registry said UNAUTHORIZED: authentication required; the registry rejected the credentials of user 'deploy' (check registry.username and registry.password in the kiln config)"

printf 'registry:\n  url: %s\n  username: deploy\n  password: s3cret\n' "$REGISTRY_URL" >"$T/good.yaml"
assert_status 0 "$KILN_BIN" --config "$T/good.yaml" image tags private
assert_eq "$(cat "$T/out")" "v1" "tags with credentials"
assert_status 0 "$KILN_BIN" --config "$T/good.yaml" image tag private:v1 v1-copy
assert_status 0 "$KILN_BIN" --config "$T/good.yaml" image inspect private:v1-copy
assert_file_line "$T/out" "Digest:     $(skopeo inspect --tls-verify=false --creds deploy:s3cret --format '{{.Digest}}' "docker://$REGISTRY_HOST/private:v1")"

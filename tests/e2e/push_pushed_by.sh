#!/usr/bin/env bash
# The key is the identity of a push: over the real sshd, a key whose forced
# command sets KILN_PUSHED_BY (as `kiln shell NAME` does) pushes, and the build
# is recorded pushed by that name; `kiln builds` (BY) and `kiln show` say so.
# A value that is no key name is ignored: the push builds, pushed by nobody.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
source "$(dirname "$0")/lib/pushed_by.sh"
need_cmd jq
kiln_app_fixture

# by_column N: the BY column of build N of app in `kiln builds app`, over ssh.
by_column() { ssh_kiln builds app | awk -v n="$1" '$1 == "app" && $2 == n {print $NF}'; }

step "a push by the key alice is recorded as hers"
as_key alice
commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
git_push origin main
assert_eq "$(build_field app 1 status)" success "status of #1"
assert_eq "$(build_field app 1 pushed_by)" alice "pushed_by of #1 in build.json"
ssh_kiln builds app >"$T/builds"
assert_eq "$(head -n 1 "$T/builds" | awk '{print $NF}')" BY "last column of kiln builds"
assert_eq "$(by_column 1)" alice "BY of #1"
ssh_kiln show app 1 >"$T/show"
assert_file_line "$T/show" "pushed by  alice"
assert_eq "$(ssh_kiln show app 1 --json | jq -r .pushed_by)" alice "pushed_by in kiln show --json"
assert_eq "$(ssh_kiln builds app --json | jq -r '.[0].pushed_by')" alice "pushed_by in kiln builds --json"

step "a value that is no key name is ignored, and the push builds"
n=1
for bad in '../x' 'a b'; do
    n=$((n + 1))
    as_key "$bad"
    push_commit
    remote_lines >"$T/remote"
    assert_file_line "$T/remote" \
        "kiln: warning: KILN_PUSHED_BY is not a key name (letters, digits, '.', '_', '-'): recorded without pushed_by"
    assert_eq "$(build_field app "$n" status)" success "status of #$n (KILN_PUSHED_BY='$bad')"
    assert_eq "$(jq -r '.pushed_by' "$(build_json app "$n")")" "" "pushed_by of #$n (KILN_PUSHED_BY='$bad')"
    assert_eq "$(by_column "$n")" - "BY of #$n"
    ssh_kiln show app "$n" >"$T/show"
    assert_file_lacks "$T/show" "pushed by"
done

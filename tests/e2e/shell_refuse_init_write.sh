#!/usr/bin/env bash
# `kiln init` over a write key is refused and creates nothing; an admin key may.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write
kiln_key_add ada admin

assert_refused wendy -- "kiln init newrepo" \
    "kiln: refused 'kiln init': key 'wendy' (role write, every repo) may not; it needs the admin role"
[ ! -e "$GIT_ROOT/newrepo.git" ] || fail "newrepo.git was created"

step "the admin key inits it"
ssh_key ada -- "kiln init newrepo" >"$T/init.out"
assert_eq "$(cat "$T/init.out")" "created $GIT_ROOT/newrepo.git"

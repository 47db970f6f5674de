#!/usr/bin/env bash
# 1,000 lines of garbage on the installed hook's stdin do no harm: ten are
# named, the rest counted, and a valid line among them still builds.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_app_fixture

commit_makefile <<'MAKEFILE'
build:
    @echo built
MAKEFILE
git_push -o ci.skip origin main
sha="$(git -C "$CLONE" rev-parse HEAD)"
{
    awk 'BEGIN { srand(); for (i = 0; i < 500; i++) { s = ""; for (j = 0; j < 40; j++) s = s sprintf("%c", 32 + int(rand() * 95)); print s } }'
    echo "0000000000000000000000000000000000000000 $sha refs/heads/main"
    for i in $(seq 1 500); do printf 'x%d\x01\xff %s\n' "$i" "refs/heads/../$i"; done
} >"$T/garbage"
assert_eq "$(wc -l <"$T/garbage")" 1001 "lines of input"

status=0
# As git runs it: in the repository, with GIT_DIR=.
as_user sh -c 'cd "$1" && GIT_DIR=. exec ./hooks/post-receive' hook "$GIT_ROOT/app.git" \
    <"$T/garbage" >"$T/hook.out" 2>&1 || status=$?
cat "$T/hook.out" >&2
assert_eq "$status" 0 "exit status of the hook"
assert_eq "$(grep -c '^\[kiln\] ignoring malformed hook input line ' "$T/hook.out")" 10 "malformed lines named"
assert_file_line "$T/hook.out" "[kiln] ignoring 990 more malformed hook input lines"
assert_file_line "$T/hook.out" "$(queued_line app 1)"
last="$(tail -n 1 "$T/hook.out")"
[[ "$last" =~ ^\[kiln\]\ app#1\ success\ in\ [0-9]+s$ ]] || fail "last line of the hook: '$last'"

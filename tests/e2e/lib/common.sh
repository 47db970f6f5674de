# Sourced first by every tests/e2e/<scenario>.sh: strict mode, a failure trap
# that names the failing line, a temp dir removed on exit, skip/need_root and
# assertions. tests/e2e/lib/ssh.sh adds the real sshd and the test user.
#
# Environment: KILN_BIN (the kiln to test; ctest sets it), KILN_KEEP_TMP=1
# keeps the temp dir for a post-mortem.

set -Eeuo pipefail

e2e_name="$(basename "${BASH_SOURCE[1]:-$0}" .sh)"

# Prints the failing command with the stack of calls that led to it.
e2e_on_error() {
    local status=$? i
    echo "FAIL: $e2e_name: exit $status at ${BASH_SOURCE[1]}:${BASH_LINENO[0]}: $BASH_COMMAND" >&2
    for ((i = 1; i < ${#FUNCNAME[@]} - 1; i++)); do
        echo "  called from ${FUNCNAME[$i + 1]} at ${BASH_SOURCE[$i + 1]}:${BASH_LINENO[$i]}" >&2
    done
}
trap e2e_on_error ERR

e2e_cleanups=()
# on_exit COMMAND...: runs at exit, newest first (like a stack of destructors).
on_exit() { e2e_cleanups+=("$(printf '%q ' "$@")"); }
e2e_cleanup() {
    local status=$? i
    trap - ERR
    set +e
    for ((i = ${#e2e_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${e2e_cleanups[$i]}"
    done
    if [ -n "${T:-}" ] && [ -d "$T" ]; then
        if [ "${KILN_KEEP_TMP:-0}" = 1 ] || { [ "$status" -ne 0 ] && [ "$status" -ne 77 ] && [ "${KILN_KEEP_TMP:-0}" = failed ]; }; then
            echo "kept $T" >&2
        else
            rm -rf "$T"
        fi
    fi
    exit "$status"
}
trap e2e_cleanup EXIT

# skip REASON: this scenario cannot run here; ctest counts exit 77 as skipped.
skip() { echo "SKIP: $e2e_name: $*" >&2; trap - ERR; exit 77; }
fail() { echo "FAIL: $e2e_name: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root: it creates a user and starts sshd"; }
need_cmd() { local c; for c in "$@"; do command -v "$c" >/dev/null || skip "needs '$c' (tests/run.sh installs it)"; done; }

[ -n "${KILN_BIN:-}" ] || fail "KILN_BIN is not set: run through ctest, or set it to a built kiln"
[ -x "$KILN_BIN" ] || fail "KILN_BIN '$KILN_BIN' is not an executable"

# The temp dir is world-traversable: the test user runs kiln and git in it.
T="$(mktemp -d "${TMPDIR:-/tmp}/kiln-e2e-$e2e_name.XXXXXX")"
chmod 755 "$T"
# The git the test drives must not read the machine's or root's settings.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="kiln test" GIT_AUTHOR_EMAIL="test@kiln.invalid"
export GIT_COMMITTER_NAME="kiln test" GIT_COMMITTER_EMAIL="test@kiln.invalid"
export LC_ALL=C

step() { echo "--- $*" >&2; }

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
    [ "$1" == "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}
# assert_file_contains FILE TEXT: TEXT is a fixed string, matched within one line.
assert_file_contains() {
    grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "'$1' lacks: $2"; }
}
assert_file_lacks() {
    ! grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "'$1' contains: $2"; }
}
# assert_file_line FILE LINE: FILE has exactly LINE as one of its lines.
assert_file_line() {
    grep -qxF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "'$1' has no line: $2"; }
}
# assert_status EXPECTED COMMAND...: runs it, checks its exit status; output in $T/out, $T/err.
assert_status() {
    local expected="$1" status=0; shift
    "$@" >"$T/out" 2>"$T/err" || status=$?
    if [ "$status" -ne "$expected" ]; then
        echo "--- stdout:" >&2; cat "$T/out" >&2; echo "--- stderr:" >&2; cat "$T/err" >&2
        fail "expected exit $expected from '$*', got $status"
    fi
}

# wait_until SECONDS COMMAND...: polls every 0.1 s until COMMAND succeeds.
wait_until() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# Sourced by tests/fresh-root/run.sh (on the host) and walkthrough.sh (inside
# the root): step lines, each step's time into one file, and the table of
# times at the end.
#
# FRESH_ROOT_TIMES: the file both append "SECONDS<TAB>STEP" lines to.

fresh_step_name=""
fresh_step_start=0

# step NAME: ends the step before (recording its time) and starts NAME.
step() {
    step_end
    fresh_step_name="$*"
    fresh_step_start=$SECONDS
    echo
    echo "==> [fresh-root] $fresh_step_name"
}

# step_end: records the running step's time, if one runs.
step_end() {
    if [ -n "$fresh_step_name" ]; then
        printf '%s\t%s\n' "$((SECONDS - fresh_step_start))" "$fresh_step_name" >>"$FRESH_ROOT_TIMES"
        fresh_step_name=""
    fi
}

# print_times: each step's time, then the sum.
print_times() {
    [ -s "$FRESH_ROOT_TIMES" ] || return 0
    echo
    echo "fresh-root: time per step"
    awk -F'\t' '{ printf "  %5ds  %s\n", $1, $2; total += $1 } END { printf "  %5ds  in all\n", total }' "$FRESH_ROOT_TIMES"
}

fail() {
    echo "FAIL: fresh-root: $*" >&2
    exit 1
}

#!/usr/bin/env bash
# Issue 3's push benchmark: the time a push spends beyond a bare push (wall
# time of `git push` to a repo minus that of the same push to a bare repo with
# no hooks), for kiln and for the plain post-receive hook it replaces, on a
# repository of 20,000 files where each round changes one file and `make build`
# is a single echo; then kiln on a repository with no Makefile.
#
#   bench/push/run.sh --kiln build/kiln [--rounds 7] [--nomake-rounds 41] [--files 20000] [--dir /var/tmp]
#                     [--hook PATH/TO/kiln-hook]... [--nomake-only]
#
# Each --hook adds a kiln repository without a Makefile whose post-receive stub
# runs that kiln-hook instead of the one kiln init installs, pushed in the same
# rounds: two builds of the hook compare within one run. --nomake-only leaves
# out the pushes with a Makefile (and the plain hook's slow checkouts).
#
# Pushes go over a local path (no ssh, so its noise stays out). Every push of
# a round pushes the same commit; the order of the targets rotates per round.
# Figures are medians over rounds of the paired difference (target - bare), in
# wall time and in CPU time (bench/push/timed_run.py).
# Pushes without a Makefile take ~40 ms and differ by a few, with jitter of
# several: they get more rounds (--nomake-rounds), which cost seconds.
# File creation on these disks is slow and noisy: compare ratios within one run.
set -euo pipefail

rounds=7
nomake_rounds=41
files=20000
base_dir="${TMPDIR:-/var/tmp}"
kiln=""
hooks=()
nomake_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --kiln) kiln="$(realpath "$2")"; shift ;;
        --rounds) rounds="$2"; shift ;;
        --nomake-rounds) nomake_rounds="$2"; shift ;;
        --files) files="$2"; shift ;;
        --dir) base_dir="$2"; shift ;;
        --hook) hooks+=("$(realpath "$2")"); shift ;;
        --nomake-only) nomake_only=1 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/push/run.sh: unknown argument '$1'" >&2; exit 1 ;;
    esac
    shift
done
[ -n "$kiln" ] && [ -x "$kiln" ] || { echo "bench/push/run.sh: give --kiln PATH/TO/kiln" >&2; exit 1; }
for hook in "${hooks[@]}"; do
    [ -x "$hook" ] || { echo "bench/push/run.sh: --hook $hook is not an executable" >&2; exit 1; }
done
here="$(cd "$(dirname "$0")" && pwd)"
B="$(mktemp -d "$base_dir/kiln-bench.XXXXXX")"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@kiln.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@kiln.invalid
cleanup() {
    # The runner kiln's hook started for this bench (found by its unique config path).
    local pid
    for pid in $(pgrep -f -- "--config $B/config.yaml runner" || true); do kill "$pid" 2>/dev/null || true; done
    rm -rf "$B"
}
trap cleanup EXIT
echo "bench dir: $B ($(df --output=fstype "$B" | tail -n 1), $(df --output=source "$B" | tail -n 1))"
echo "kiln: $kiln ($("$kiln" version 2>/dev/null || echo unknown))"
for ((h = 0; h < ${#hooks[@]}; h++)); do echo "hook $((h + 1)): ${hooks[$h]}"; done

# source NAME WITH_MAKEFILE: a local repo of $files files in one commit (fast-import).
make_source() {
    local dir="$B/$1"
    git init -q -b main "$dir"
    awk -v n="$files" -v make="$2" 'BEGIN {
        print "commit refs/heads/main"; print "committer bench <bench@kiln.invalid> 1700000000 +0000"
        print "data 8"; print "content"
        for (i = 0; i < n; i++) {
            body = sprintf("file %d\nsome content to make it a real file, line two\n", i)
            printf "M 100644 inline src/d%03d/f%05d.txt\ndata %d\n%s\n", i % 200, i, length(body), body
        }
        if (make == 1) {
            body = "build:\n\t@echo built\n"
            printf "M 100644 inline Makefile\ndata %d\n%s\n", length(body), body
        }
    }' | git -C "$dir" fast-import --quiet
    git -C "$dir" checkout -q -f main
}

# The targets: bare (no hooks), plain (the plain hook), kiln (kiln init).
mkdir -p "$B/git" "$B/state"
printf 'git_root: %s\nstate_dir: %s\n' "$B/git" "$B/state" >"$B/config.yaml"
make_target() {
    local name="$1" kind="$2"
    case "$kind" in
        bare) git init -q --bare "$B/git/$name.git"; rm -f "$B/git/$name.git/hooks/"*.sample ;;
        plain) git init -q --bare "$B/git/$name.git"; install -m 755 "$here/plain-post-receive" "$B/git/$name.git/hooks/post-receive" ;;
        kiln) "$kiln" --config "$B/config.yaml" init "$name" >/dev/null ;;
    esac
}
# kiln_with_hook NAME HOOK: a kiln repository whose stub runs HOOK in place of
# the kiln-hook kiln init wrote into it.
kiln_with_hook() {
    local stub="$B/git/$1.git/hooks/post-receive"
    make_target "$1" kiln
    HOOK="$2" awk '/^exec / { sub(/^exec [^ ]+/, "exec \047" ENVIRON["HOOK"] "\047") } { print }' "$stub" >"$stub.new"
    grep -qF "exec '$2' " "$stub.new" || { cat "$stub"; echo "bench/push/run.sh: cannot point $stub at $2" >&2; exit 1; }
    cat "$stub.new" >"$stub"
    rm "$stub.new"
}

# push SOURCE TARGET: one timed push of SOURCE's main; prints its wall time and
# the CPU time of the push and everything it waited for, in microseconds.
push_us() {
    python3 "$here/timed_run.py" "$B/push-$2.out" git -C "$B/$1" push -q "$B/git/$2.git" main ||
        { cat "$B/push-$2.out" >&2; echo "push to $2 failed" >&2; exit 1; }
}
change_one_file() {
    echo "round $1 $(date +%s%N)" >>"$B/$2/src/d007/f00007.txt"
    git -C "$B/$2" commit -q -am "round $1"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# run_set SOURCE TARGET...: warm up (first push: full tree, first worktree,
# runner start), then ROUNDS rounds; writes $B/times-<target> (wall, CPU).
run_set() {
    local rounds="$1" source="$2"; shift 2
    local target round i n=$#
    for target in "$@"; do : >"$B/times-$target"; push_us "$source" "$target" >/dev/null; done
    change_one_file 0 "$source"
    for target in "$@"; do push_us "$source" "$target" >/dev/null; done
    local targets=("$@")
    for ((round = 1; round <= rounds; round++)); do
        change_one_file "$round" "$source"
        for ((i = 0; i < n; i++)); do
            target="${targets[$(((i + round) % n))]}"
            push_us "$source" "$target" >>"$B/times-$target"
        done
        printf '.' >&2
    done
    echo >&2
}
# wall TARGET, cpu TARGET: the median over rounds, in microseconds.
wall() { awk '{ print $1 }' "$B/times-$1" | median; }
cpu() { awk '{ print $2 }' "$B/times-$1" | median; }
# extra TARGET BARE, cpu_extra TARGET BARE: the median over rounds of (TARGET - BARE).
extra() { paste "$B/times-$1" "$B/times-$2" | awk '{ print $1 - $3 }' | median; }
cpu_extra() { paste "$B/times-$1" "$B/times-$2" | awk '{ print $2 - $4 }' | median; }

echo "making $files-file repositories (with and without a Makefile)..."
[ "$nomake_only" = 1 ] || make_source src 1
make_source src-nomake 0
[ "$nomake_only" = 1 ] || { make_target bare bare; make_target plain plain; make_target app kiln; }
make_target bare-nomake bare; make_target app-nomake kiln
nomake_targets=(bare-nomake app-nomake)
for ((h = 0; h < ${#hooks[@]}; h++)); do
    kiln_with_hook "app-nomake-hook$((h + 1))" "${hooks[$h]}"
    nomake_targets+=("app-nomake-hook$((h + 1))")
done

if [ "$nomake_only" = 0 ]; then
    echo "with a Makefile: $rounds rounds of bare, plain hook, kiln"
    run_set "$rounds" src bare plain app
    grep -q "success" "$B/push-app.out" || { cat "$B/push-app.out"; echo "kiln's push did not build" >&2; exit 1; }
fi
echo "without a Makefile: $nomake_rounds rounds of ${nomake_targets[*]}"
run_set "$nomake_rounds" src-nomake "${nomake_targets[@]}"
for target in "${nomake_targets[@]:1}"; do
    grep -q "no Makefile" "$B/push-$target.out" || { cat "$B/push-$target.out"; exit 1; }
done

ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
# row LABEL TARGET [BARE]: a line of the table.
row() {
    if [ $# -eq 2 ]; then
        echo "| $1 | $(ms "$(wall "$2")") | | $(ms "$(cpu "$2")") | |"
    else
        echo "| $1 | $(ms "$(wall "$2")") | $(ms "$(extra "$2" "$3")") | $(ms "$(cpu "$2")") | $(ms "$(cpu_extra "$2" "$3")") |"
    fi
}
echo
counted="$rounds rounds with a Makefile, $nomake_rounds without"
[ "$nomake_only" = 0 ] || counted="$nomake_rounds rounds without a Makefile"
echo "| push (median, ms; $counted) | wall | extra over the bare push | CPU | CPU extra |"
echo "| --- | ---: | ---: | ---: | ---: |"
if [ "$nomake_only" = 0 ]; then
    row "bare repo, no hooks" bare
    row "plain post-receive hook" plain bare
    row "kiln" app bare
fi
row "bare repo, no Makefile" bare-nomake
row "kiln, no Makefile" app-nomake bare-nomake
for ((h = 1; h <= ${#hooks[@]}; h++)); do
    row "kiln, no Makefile, hook $h" "app-nomake-hook$h" bare-nomake
done
echo
if [ "$nomake_only" = 0 ]; then
    echo "kiln extra / plain extra = $(ratio "$(extra app bare)" "$(extra plain bare)") (target <= 0.050)"
fi
bare_nomake="$(wall bare-nomake)"
bare_nomake_cpu="$(cpu bare-nomake)"
echo "kiln extra without a Makefile / bare push = $(ratio "$(extra app-nomake bare-nomake)" "$bare_nomake") (target <= 0.100;" \
    "CPU: $(ratio "$(cpu_extra app-nomake bare-nomake)" "$bare_nomake_cpu"))"
for ((h = 1; h <= ${#hooks[@]}; h++)); do
    echo "hook $h: extra without a Makefile / bare push = $(ratio "$(extra "app-nomake-hook$h" bare-nomake)" "$bare_nomake")" \
        "(CPU: $(ratio "$(cpu_extra "app-nomake-hook$h" bare-nomake)" "$bare_nomake_cpu"))"
done
# Two hooks: what the second costs over the first, paired push by push.
if [ "${#hooks[@]}" -ge 2 ]; then
    wall_more="$(extra app-nomake-hook2 app-nomake-hook1)"
    cpu_more="$(cpu_extra app-nomake-hook2 app-nomake-hook1)"
    echo "hook 2 - hook 1 = $(ms "$wall_more") ms wall, $(ratio "$wall_more" "$bare_nomake") of the bare push;" \
        "$(ms "$cpu_more") ms CPU, $(ratio "$cpu_more" "$bare_nomake_cpu") of its CPU"
fi
raw=(bare-nomake app-nomake)
[ "$nomake_only" = 1 ] || raw=(bare plain app "${raw[@]}")
for t in "${raw[@]}" "${nomake_targets[@]:2}"; do
    echo "raw $t (ms, wall/CPU): $(awk '{ printf "%.1f/%.1f ", $1 / 1000, $2 / 1000 }' "$B/times-$t")"
done

#!/usr/bin/env bash
# Issue 3's push benchmark: the time a push spends beyond a bare push (wall
# time of `git push` to a repo minus that of the same push to a bare repo with
# no hooks), for kiln and for the plain post-receive hook it replaces, on a
# repository of 20,000 files where each round changes one file and `make build`
# is a single echo; then kiln on a repository with no Makefile.
#
#   bench/push/run.sh --kiln build/kiln [--rounds 7] [--nomake-rounds 41] [--files 20000] [--dir /var/tmp]
#
# Pushes go over a local path (no ssh, so its noise stays out). Every push of
# a round pushes the same commit; the order of the targets rotates per round.
# Figures are medians over rounds of the paired difference (target - bare).
# Pushes without a Makefile take ~40 ms and differ by a few, with jitter of
# several: they get more rounds (--nomake-rounds), which cost seconds.
# File creation on these disks is slow and noisy: compare ratios within one run.
set -euo pipefail

rounds=7
nomake_rounds=41
files=20000
base_dir="${TMPDIR:-/var/tmp}"
kiln=""
while [ $# -gt 0 ]; do
    case "$1" in
        --kiln) kiln="$(realpath "$2")"; shift ;;
        --rounds) rounds="$2"; shift ;;
        --nomake-rounds) nomake_rounds="$2"; shift ;;
        --files) files="$2"; shift ;;
        --dir) base_dir="$2"; shift ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/push/run.sh: unknown argument '$1'" >&2; exit 1 ;;
    esac
    shift
done
[ -n "$kiln" ] && [ -x "$kiln" ] || { echo "bench/push/run.sh: give --kiln PATH/TO/kiln" >&2; exit 1; }
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

now_us() { echo $(($(date +%s%N) / 1000)); }
# push SOURCE TARGET: one timed push of SOURCE's main; prints microseconds.
push_us() {
    local start end
    start="$(now_us)"
    git -C "$B/$1" push -q "$B/git/$2.git" main >"$B/push-$2.out" 2>&1 ||
        { cat "$B/push-$2.out" >&2; echo "push to $2 failed" >&2; exit 1; }
    end="$(now_us)"
    echo $((end - start))
}
change_one_file() {
    echo "round $1 $(date +%s%N)" >>"$B/$2/src/d007/f00007.txt"
    git -C "$B/$2" commit -q -am "round $1"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# run_set SOURCE TARGET...: warm up (first push: full tree, first worktree,
# runner start), then ROUNDS rounds; writes $B/times-<target>.
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
# extra TARGET BARE: median over rounds of (TARGET - BARE), in microseconds.
extra() { paste "$B/times-$1" "$B/times-$2" | awk '{ print $1 - $2 }' | median; }

echo "making two $files-file repositories (with and without a Makefile)..."
make_source src 1
make_source src-nomake 0
make_target bare bare; make_target plain plain; make_target app kiln
make_target bare-nomake bare; make_target app-nomake kiln

echo "with a Makefile: $rounds rounds of bare, plain hook, kiln"
run_set "$rounds" src bare plain app
grep -q "success" "$B/push-app.out" || { cat "$B/push-app.out"; echo "kiln's push did not build" >&2; exit 1; }
echo "without a Makefile: $nomake_rounds rounds of bare, kiln"
run_set "$nomake_rounds" src-nomake bare-nomake app-nomake
grep -q "no Makefile" "$B/push-app-nomake.out" || { cat "$B/push-app-nomake.out"; exit 1; }

bare="$(median <"$B/times-bare")"
plain_extra="$(extra plain bare)"
kiln_extra="$(extra app bare)"
bare_nomake="$(median <"$B/times-bare-nomake")"
kiln_nomake_extra="$(extra app-nomake bare-nomake)"
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
echo
echo "| push (median, ms; $rounds rounds with a Makefile, $nomake_rounds without) | wall | extra over the bare push |"
echo "| --- | ---: | ---: |"
echo "| bare repo, no hooks | $(ms "$bare") | |"
echo "| plain post-receive hook | $(ms "$(median <"$B/times-plain")") | $(ms "$plain_extra") |"
echo "| kiln | $(ms "$(median <"$B/times-app")") | $(ms "$kiln_extra") |"
echo "| bare repo, no Makefile | $(ms "$bare_nomake") | |"
echo "| kiln, no Makefile | $(ms "$(median <"$B/times-app-nomake")") | $(ms "$kiln_nomake_extra") |"
echo
awk -v k="$kiln_extra" -v p="$plain_extra" 'BEGIN { printf "kiln extra / plain extra = %.3f (target <= 0.050)\n", (p > 0 ? k / p : 0) }'
awk -v k="$kiln_nomake_extra" -v b="$bare_nomake" 'BEGIN { printf "kiln extra without a Makefile / bare push = %.3f (target <= 0.100)\n", (b > 0 ? k / b : 0) }'
for t in bare plain app bare-nomake app-nomake; do echo "raw $t (ms): $(awk '{ printf "%.1f ", $1 / 1000 }' "$B/times-$t")"; done

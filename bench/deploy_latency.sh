#!/usr/bin/env bash
# Benchmark (not a test): how long after `git push` returns the new digest
# runs on a deploy host, and after `kiln rollback` returns the old one does,
# for kiln watch's two paths (issue 12):
#
#   notify: kiln watch --listen, woken by the repo's notify: URL (--interval 1h)
#   poll:   kiln watch --interval 1s, no listener
#
#   sudo bench/deploy_latency.sh KILN_BIN [ROUNDS]   (default 7 rounds; root, like the e2e tests)
#
# The set-up is the e2e one (tests/e2e/lib): a throwaway user and sshd on
# 127.0.0.1, the real docker-registry, examples/app built by buildah; pushes
# go over ssh. Each round pushes a change to the site (the push returns when
# the build has published app:latest), then runs `kiln rollback app` as the
# user (back to the round's previous release). Each watcher's command writes
# `date +%s.%N` and the digest it was given; a latency is that time minus the
# time the push or rollback command returned (negative: it ran before the
# command returned). Prints every round and the medians, all from the same run.
set -euo pipefail
KILN_BIN="$(realpath "${1:?usage: bench/deploy_latency.sh KILN_BIN [ROUNDS]}")"
ROUNDS="${2:-7}"
export KILN_BIN
lib="$(cd "$(dirname "$0")/../tests/e2e/lib" && pwd)"
export KILN_SOURCE_DIR="$(cd "$(dirname "$0")/.." && pwd)"
source "$lib/common.sh"
source "$lib/ssh.sh"
source "$lib/registry.sh"
source "$lib/build_image.sh"
trap - ERR
rollback=1
"$KILN_BIN" --help | grep -q "^  rollback " || { rollback=0; echo "bench: this kiln has no rollback; pushes only" >&2; }

build_image_fixture
port="$(registry_free_port)"
watch_config="$T/watch.yaml"
printf 'registry:\n  url: %s\nstate_dir: %s\n' "$REGISTRY_URL" "$T/watch-state" >"$watch_config"
# start_watch NAME ARGS...: a kiln watch whose command appends "TIME DIGEST" to $T/NAME.runs.
start_watch() {
    local name="$1"; shift
    "$KILN_BIN" --config "$watch_config" watch app:latest "$@" \
        --exec "echo \"\$(date +%s.%N) \$KILN_DIGEST\" >>'$T/$name.runs'" 2>"$T/$name.log" &
    on_exit kill "$!"
}
start_watch notify --interval 1h --listen "127.0.0.1:$port" --token bench
start_watch poll --interval 1s

copy_example_app
write_kiln_yml "env: {BUILDER: buildah}
image: {archive: out/image.tar}
notify: [\"http://127.0.0.1:$port/hook?token=bench\"]"
git_push origin main >/dev/null 2>&1
echo "bench: first build done; $ROUNDS rounds of push + rollback" >&2

# ran_at NAME DIGEST SINCE: the first time NAME's command ran DIGEST after SINCE, the time the push
# or rollback started (waits up to 30 s). The notify path can deploy before the push returns: the
# runner POSTs as soon as the image is published, while the hook is still streaming its last lines.
ran_at() {
    local i
    for i in $(seq 300); do
        if awk -v d="$2" -v t="$3" '$2 == d && $1 > t { print $1; found = 1; exit } END { exit !found }' \
            "$T/$1.runs" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "bench: $1 never ran $2: $(tail -n 5 "$T/$1.log")" >&2
    exit 1
}
ms() { python3 -c 'import sys; print(round((float(sys.argv[1]) - float(sys.argv[2])) * 1000))' "$1" "$2"; }

: >"$T/results"
build=1
for round in $(seq "$ROUNDS"); do
    before="$(build_field app "$build" digest)"
    build=$((build + 1))
    echo "<p>round $round</p>" >>"$CLONE/site/index.html"
    git -C "$CLONE" commit -q -am "round $round"
    started="$(date +%s.%N)"
    git -C "$CLONE" push -q origin main >/dev/null 2>&1
    returned="$(date +%s.%N)"
    new="$(build_field app "$build" digest)"
    push_notify="$(ms "$(ran_at notify "$new" "$started")" "$returned")"
    push_poll="$(ms "$(ran_at poll "$new" "$started")" "$returned")"
    back_notify=- back_poll=-
    if [ "$rollback" = 1 ]; then
        started="$(date +%s.%N)"
        kiln_as_user rollback app >/dev/null
        returned="$(date +%s.%N)"
        back_notify="$(ms "$(ran_at notify "$before" "$started")" "$returned")"
        back_poll="$(ms "$(ran_at poll "$before" "$started")" "$returned")"
    fi
    echo "$push_notify $push_poll $back_notify $back_poll" >>"$T/results"
    printf 'round %d: push->running notify %5s ms  poll %5s ms | rollback->running notify %5s ms  poll %5s ms\n' \
        "$round" "$push_notify" "$push_poll" "$back_notify" "$back_poll"
done
python3 - "$T/results" "$rollback" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = ["push -> running, notify", "push -> running, poll 1s", "rollback -> running, notify", "rollback -> running, poll 1s"]
names = names if sys.argv[2] == "1" else names[:2]
print("medians over %d rounds (min..max):" % len(rows))
for i, name in enumerate(names):
    column = [int(row[i]) for row in rows]
    print("  %-30s %5d ms  (%d..%d)" % (name, statistics.median(column), min(column), max(column)))
PY

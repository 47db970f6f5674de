#!/usr/bin/env bash
# Benchmark (not a test): how soon a build step's whole process tree is gone
# once it is asked to stop, under kiln's step leader (`kiln build-leader`, what
# the runner starts each step under, and what a timeout or `kiln cancel`
# signals) against coreutils `timeout -k`, the usual tool for the same job.
#
#   bench/stop_tree.sh KILN_BIN [ROUNDS]     (default 10 rounds)
#
# Two trees, the ones tests/unit/runner/process_test.cpp stops:
#   obeys:   `(sleep 1000 &); sleep 1000`: an orphan and the main shell, both
#            ending on SIGTERM (the cancel test; grace 2 s);
#   escapes: the main shell ignores SIGTERM and starts `sleep &`, `setsid
#            sleep &` and `env -i setsid sleep &` (the timeout test; grace 300 ms).
# Each round, in alternating order, each stopper runs the tree; once the tree
# has written its 2 or 4 pids, SIGTERM goes to the stopper (as the runner
# sends it to the leader). Measured: from that SIGTERM until the stopper has
# exited and every pid of the tree is gone (a zombie counts as gone), polled
# every millisecond; a tree not gone 5 s after the stopper exited counts its
# survivors (then killed by the bench). Prints every run and the medians (ms).
set -euo pipefail

KILN="${1:?usage: bench/stop_tree.sh KILN_BIN [ROUNDS]}"
ROUNDS="${2:-10}"
for tool in python3 timeout; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }
done
KILN="$(realpath "$KILN")"
W="$(mktemp -d "${TMPDIR:-/tmp}/kiln-bench.XXXXXX")"
trap 'rm -rf "$W"' EXIT
echo "kiln: $KILN ($("$KILN" version 2>/dev/null || echo unknown))"
echo "timeout: $(timeout --version | head -n 1)"

python3 - "$KILN" "$ROUNDS" "$W" <<'PY'
import os, signal, statistics, subprocess, sys, time
kiln, rounds, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
trees = {
    "obeys": ("(sleep 1000 & echo $! >> pids); echo $$ >> pids; sleep 1000", 2, 2000),
    "escapes": ("trap '' TERM; sleep 1000 & echo $! >> pids; setsid sleep 1000 & echo $! >> pids; "
                "env -i /usr/bin/setsid /bin/sleep 1000 & echo $! >> pids; echo $$ >> pids; sleep 1000", 4, 300),
}

def stopper(name, script, grace_ms, run_dir):
    if name == "kiln":
        return [kiln, "build-leader", "--status", os.path.join(run_dir, "status"),
                "--leader-file", os.path.join(run_dir, "leader"), "--runner-pid", str(os.getpid()),
                "--grace-ms", str(grace_ms), "--program", "/bin/sh", "--", "sh", "-c", script]
    return ["timeout", "-k", "%.3f" % (grace_ms / 1000), "1000", "sh", "-c", script]

def gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True

def pids_in(path):
    try:
        with open(path) as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []

def run(name, tree, n):
    script, count, grace_ms = trees[tree]
    run_dir = os.path.join(work, "%s-%s-%d" % (tree, name, n))
    os.makedirs(run_dir)
    proc = subprocess.Popen(stopper(name, script, grace_ms, run_dir), cwd=run_dir,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    pid_file = os.path.join(run_dir, "pids")
    give_up = time.monotonic() + 10
    while len(pids_in(pid_file)) < count:
        if time.monotonic() > give_up:
            sys.exit("bench: the %s tree under %s never started" % (tree, name))
        time.sleep(0.005)
    pids = pids_in(pid_file)
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    exited = None
    while True:
        now = time.monotonic()
        if exited is None and proc.poll() is not None:
            exited = now
        if exited is not None and all(gone(p) for p in pids):
            return now - start, 0
        if exited is not None and now - exited > 5:
            survivors = [p for p in pids if not gone(p)]
            for p in survivors:
                os.kill(p, signal.SIGKILL)
            return exited - start, len(survivors)
        time.sleep(0.001)

for tree in trees:
    times = {"kiln": [], "timeout": []}
    survivors = {"kiln": 0, "timeout": 0}
    for n in range(rounds):
        order = ["kiln", "timeout"] if n % 2 == 0 else ["timeout", "kiln"]
        for name in order:
            took, left = run(name, tree, n)
            times[name].append(took)
            survivors[name] += left
    print("tree %s (grace %d ms):" % (tree, trees[tree][2]))
    for name in times:
        runs = " ".join("%.1f" % (t * 1000) for t in times[name])
        print("  %-7s median %.1f ms  runs %s  survivors %d of %d" %
              (name, statistics.median(times[name]) * 1000, runs, survivors[name], rounds * trees[tree][1]))
    print("  kiln / timeout = %.2f" % (statistics.median(times["kiln"]) / statistics.median(times["timeout"])))
PY

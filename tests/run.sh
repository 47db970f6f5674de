#!/usr/bin/env bash
# The one command that runs kiln's whole test suite on a Debian/Ubuntu machine:
# installs the packages it needs (packages.txt, sections build and test; apt
# runs only when one is missing), then
#   1. a RelWithDebInfo build with -Werror: every unit and end-to-end test;
#   2. the fresh-root test (tests/fresh-root/run.sh): README.md's path, from
#      `sudo ./install.sh` to a deployed image, in a clean Debian 12 root;
#   3. a Debug build with ASan+UBSan: every unit and end-to-end test again.
# Exits non-zero when a test fails, and (as root, where every test can run)
# when a test skipped. Run it as root (CI does): the end-to-end tests create a
# user and start sshd, and skip (exit 77) otherwise.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: tests/run.sh [--no-sanitize] [--sanitize-unit-only] [--unit-only] [--no-fresh-root] [--jobs N] [--help]

Installs what the build and the tests need (apt, as root or through sudo; nothing
when all is installed), builds kiln twice and runs ctest:
  build-ci/release    RelWithDebInfo, -Werror: unit and end-to-end tests
  fresh-root          README.md's install and walkthrough in a clean Debian 12
                      root (tests/fresh-root/run.sh; counts as one test)
  build-ci/sanitize   Debug, ASan+UBSan: unit and end-to-end tests
  --no-sanitize       skip the sanitizer build
  --sanitize-unit-only  only the unit tests in the sanitizer build
  --unit-only         run only the unit tests (ctest -L unit); no fresh-root test
  --no-fresh-root     skip the fresh-root test
  --jobs N            tests run at once (default 2)
Environment: KILN_BUILD_ROOT (default <repo>/build-ci), KILN_ALLOW_SKIP=1 to let
tests skip as root, KILN_KEEP_TMP=1 to keep end-to-end temp dirs.
USAGE
}

sanitize=1
fresh_root=1
sanitize_labels=()
labels=()
test_jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --no-sanitize) sanitize=0 ;;
        --sanitize-unit-only) sanitize_labels=(-L unit) ;;
        --unit-only) labels=(-L unit); fresh_root=0 ;;
        --no-fresh-root) fresh_root=0 ;;
        --jobs) test_jobs="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "tests/run.sh: unknown argument '$1'" >&2; usage >&2; exit 1 ;;
    esac
    shift
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=../tools/deps.sh
source tools/deps.sh
build_root="${KILN_BUILD_ROOT:-$repo/build-ci}"
build_jobs="$(nproc)"
launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # Let a fresh clone in another folder (CI) hit the cache of an earlier one.
    export CCACHE_BASEDIR="$repo" CCACHE_NOHASHDIR=1
fi

total_passed=0
total_failed=0
total_skipped=0
status=0
started=$SECONDS

stage() { echo; echo "==> $*"; }

# run_suite NAME CMAKE_ARGS...: configure, build, ctest; adds to the totals.
run_suite() {
    local name="$1"; shift
    local dir="$build_root/$name"
    local stage_start=$SECONDS
    stage "[$name] configure: cmake -S . -B $dir $*"
    cmake -S . -B "$dir" "${launcher[@]}" "$@" >"$build_root/$name.configure.log" 2>&1 ||
        { cat "$build_root/$name.configure.log"; return 1; }
    stage "[$name] build: cmake --build $dir -j$build_jobs"
    cmake --build "$dir" -j"$build_jobs" >"$build_root/$name.build.log" 2>&1 ||
        { tail -n 80 "$build_root/$name.build.log"; echo "build failed, full log: $build_root/$name.build.log"; return 1; }
    echo "built in $((SECONDS - stage_start))s"
    stage "[$name] test: ctest --output-on-failure -j$test_jobs ${labels[*]}"
    local log="$build_root/$name.ctest.log"
    local rc=0
    (cd "$dir" && ctest --output-on-failure --no-tests=error -j"$test_jobs" "${labels[@]}") 2>&1 | tee "$log" || rc=$?
    # ctest counts a skipped test as passed in its summary line.
    local summary run failed skipped
    summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
    if [ -z "$summary" ]; then
        echo "[$name] ctest printed no summary"
        return 1
    fi
    run="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")"
    failed="$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")"
    skipped="$(grep -cE '^[[:space:]]*[0-9]+ - .*\(Skipped\)$' "$log" || true)"
    total_passed=$((total_passed + run - failed - skipped))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    echo "[$name] $((run - failed - skipped)) passed, $failed failed, $skipped skipped in $((SECONDS - stage_start))s"
    return "$rc"
}

# run_fresh_root: tests/fresh-root/run.sh, one test in the totals.
run_fresh_root() {
    local stage_start=$SECONDS rc=0
    stage "[fresh-root] tests/fresh-root/run.sh"
    tests/fresh-root/run.sh || rc=$?
    case "$rc" in
        0) total_passed=$((total_passed + 1)); echo "[fresh-root] passed in $((SECONDS - stage_start))s" ;;
        77) total_skipped=$((total_skipped + 1)); echo "[fresh-root] skipped" ;;
        *) total_failed=$((total_failed + 1)); echo "[fresh-root] failed (exit $rc) in $((SECONDS - stage_start))s"; return 1 ;;
    esac
}

mkdir -p "$build_root"
stage "packages: $(kiln_packages build test | tr '\n' ' ')"
kiln_ensure_packages build test

run_suite release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_WERROR=ON -DKILN_SANITIZE=OFF || status=1
if [ "$fresh_root" = 1 ]; then
    run_fresh_root || status=1
fi
if [ "$sanitize" = 1 ]; then
    # Leak checks stay on; halt_on_error makes a sanitizer report fail the test.
    export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_leaks=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    if [ ${#labels[@]} -eq 0 ]; then labels=("${sanitize_labels[@]}"); fi
    run_suite sanitize -DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON || status=1
fi

if [ "$(id -u)" -eq 0 ] && [ "$total_skipped" -gt 0 ] && [ "${KILN_ALLOW_SKIP:-0}" != 1 ]; then
    echo "tests/run.sh: $total_skipped tests skipped although running as root, where every test must run"
    status=1
fi
echo
echo "tests/run.sh took $((SECONDS - started))s"
echo "total: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit "$status"

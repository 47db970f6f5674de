# Sourced after common.sh and ssh.sh by the push_waits_* scenarios: a build of
# main that runs until the test touches $flags/go, on a runner with one slot,
# and pushes that queue behind it.
#
#   blocking_build_fixture      kiln_app_fixture with runner.jobs: 1; app#1 (main)
#                               is running and waits for $flags/go
#   push_commit_in_background BRANCH
#                               commits a change and pushes it to BRANCH in the
#                               background, output in $T/push-BRANCH.out
#   pusher_remote_lines BRANCH  that push's output to the test log, and the
#                               lines the hook printed to $T/remote-BRANCH

blocking_build_fixture() {
    kiln_app_fixture
    write_config "runner:" "  jobs: 1"
    flags="$(user_dir flags)"
    commit_file .kiln.yml 'branches: [main, feature]'
    commit_makefile <<MAKEFILE
build:
    @echo building \$\$KILN_BRANCH
    @while [ ! -e $flags/go ]; do sleep 0.1; done
MAKEFILE
    git_push -o kiln.detach origin main
    wait_for_status app 1 running
}

push_commit_in_background() {
    commit_file pushes.txt "push at $(date +%s.%N)" "push"
    git -C "$CLONE" push origin "HEAD:$1" >"$T/push-$1.out" 2>&1 &
}

pusher_remote_lines() {
    sed "s/^/  push $1| /" "$T/push-$1.out" >&2
    sed -n 's/^remote: //p' "$T/push-$1.out" | sed 's/[[:space:]]*$//' >"$T/remote-$1"
}

# Sourced after common.sh by the init_* scenarios: `kiln init` as the user
# who runs the test (no sshd), against a git_root of the test's own.
#
#   init_fixture   a config naming $git_root and a state dir; sets $hook, the
#                  post-receive hook `kiln init app` installs
#   kiln ARGS...   the kiln under test with that config

init_fixture() {
    git_root="$T/git"
    mkdir -p "$git_root" "$T/state"
    printf 'git_root: %s\nstate_dir: %s\n' "$git_root" "$T/state" >"$T/config.yaml"
    hook="$git_root/app.git/hooks/post-receive"
}

kiln() { "$KILN_BIN" --config "$T/config.yaml" "$@"; }

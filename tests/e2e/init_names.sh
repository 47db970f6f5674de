#!/usr/bin/env bash
# `kiln init`: bad names are refused with the exact reason, exit 1, and nothing
# is created; good names create NAME.git; a second init refreshes the hook.
source "$(dirname "$0")/lib/common.sh"

git_root="$T/git"
mkdir -p "$git_root" "$T/state"
printf 'git_root: %s\nstate_dir: %s\n' "$git_root" "$T/state" >"$T/config.yaml"
kiln() { "$KILN_BIN" --config "$T/config.yaml" "$@"; }

# refused NAME MESSAGE: init NAME fails with exit 1 and exactly MESSAGE on stderr.
refused() {
    assert_status 1 kiln init -- "$1"
    assert_eq "$(cat "$T/err")" "kiln: error: $2" "stderr of 'kiln init $1'"
    assert_eq "$(cat "$T/out")" "" "stdout of 'kiln init $1'"
}

step "bad names"
refused "" "repository name is empty"
refused /srv/git/app "repository name '/srv/git/app' is absolute; give a name relative to git_root, like 'app' or 'team/app'"
refused ../etc "repository name '../etc' contains '..'"
refused team/.. "repository name 'team/..' contains '..'"
refused a/b/c "repository name 'a/b/c' has more than one folder level; use 'app' or 'team/app'"
refused .hidden "repository name '.hidden': segment '.hidden' starts with '.'"
refused -rf "repository name '-rf': segment '-rf' starts with '-'"
refused "app name" "repository name 'app name' contains ' '; only letters, digits, '.', '_' and '-' are allowed"
refused 'a;rm' "repository name 'a;rm' contains ';'; only letters, digits, '.', '_' and '-' are allowed"
refused team//app "repository name 'team//app' has an empty segment"
refused team.git/app "repository name 'team.git/app': only the last segment may end in '.git'"
assert_eq "$(find "$git_root" -mindepth 1 | wc -l)" 0 "entries under git_root after refused names"

step "good names"
assert_status 0 kiln init app
assert_eq "$(cat "$T/out")" "created $git_root/app.git"
assert_status 0 kiln init team/api.git
assert_eq "$(cat "$T/out")" "created $git_root/team/api.git"
[ -f "$git_root/app.git/HEAD" ] || fail "app.git is not a repository"
assert_eq "$(git --git-dir="$git_root/app.git" config --bool receive.advertisePushOptions)" true "receive.advertisePushOptions"
hook="$git_root/app.git/hooks/post-receive"
[ -x "$hook" ] || fail "no executable post-receive hook"
assert_file_contains "$hook" "hook post-receive"
assert_file_contains "$hook" "--config '$T/config.yaml'"
[ "$(wc -l <"$hook")" -le 3 ] || fail "the hook stub has more than three lines"

step "init twice refreshes the hook"
echo "# edited by hand" >>"$hook"
assert_status 0 kiln init app
assert_eq "$(cat "$T/out")" "refreshed the hook of existing $git_root/app.git"
assert_file_lacks "$hook" "edited by hand"

step "the hook runs kiln-hook, which loads none of kiln's heavy libraries"
kiln_hook="$(dirname "$KILN_BIN")/kiln-hook"
assert_file_contains "$hook" "exec '$kiln_hook' --config '$T/config.yaml' hook post-receive"
assert_status 0 "$kiln_hook" --help
assert_file_contains "$T/out" "hook"
assert_status 1 "$kiln_hook" --no-such-option
ldd "$kiln_hook" >"$T/ldd" 2>&1 || true  # a static kiln-hook: "not a dynamic executable"
for heavy in libgit2 libssl libcrypto libarchive libyaml-cpp libspdlog libfmt httplib; do
    assert_file_lacks "$T/ldd" "$heavy"
done

step "a kiln without kiln-hook next to it installs a hook that runs kiln itself, and says so"
mkdir "$T/alone"
cp "$KILN_BIN" "$T/alone/kiln"
assert_status 0 "$T/alone/kiln" --config "$T/config.yaml" init app
assert_file_contains "$T/err" "no kiln-hook next to $T/alone/kiln"
assert_file_contains "$hook" "exec '$T/alone/kiln' --config '$T/config.yaml' hook post-receive"

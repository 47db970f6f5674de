#!/usr/bin/env bash
# `kiln init`: bad names are refused with the exact reason, exit 1, and nothing
# is created; good names create NAME.git with a post-receive hook.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/init.sh"
init_fixture

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
[ -x "$hook" ] || fail "no executable post-receive hook"
assert_file_contains "$hook" "hook post-receive"
assert_file_contains "$hook" "--config '$T/config.yaml'"
[ "$(wc -l <"$hook")" -le 3 ] || fail "the hook stub has more than three lines"

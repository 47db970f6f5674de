#!/usr/bin/env bash
# kiln shell runs no command but its own grammar: `ls`, `sh -c id` and an
# interactive login are refused with one line, logged, and leave nothing.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
kiln_fixture
kiln_key_add wendy write
who="key 'wendy' (role write, every repo)"
may="git-upload-pack, git-upload-archive, git-receive-pack; kiln repos, builds, show, logs, releases, image ls, image tags, image inspect, rebuild, cancel, rollback, deployed"
marks="$(user_dir marks)"
# How a refusal quotes a command: cut after 80 characters.
quoted() { if [ "${#1}" -gt 80 ]; then echo "${1:0:80}..."; else echo "$1"; fi; }

assert_refused wendy -- "ls" "kiln: refused: 'ls' is not a command kiln shell runs; $who may run $may"
assert_refused wendy -- "sh -c id" "kiln: refused: 'sh -c id' is not a command kiln shell runs; $who may run $may"
assert_refused wendy -- "sh -c 'id >$marks/id'" \
    "kiln: refused: '$(quoted "sh -c id >$marks/id")' is not a command kiln shell runs; $who may run $may"
assert_refused wendy -- "git-upload-pack 'app.git'; id" \
    "kiln: refused: the command has ';' outside quotes; kiln runs no shell, so it takes no operators or expansions"
assert_refused wendy -T -- "" "kiln: $who has no interactive shell; it may run $may"
assert_file_contains "$(access_log)" "key=wendy from=127.0.0.1 verdict=refused command=\"ls\""
assert_eq "$(find "$marks" "$GIT_ROOT" -mindepth 1 | wc -l)" 0 "files left in git_root and the marks dir"

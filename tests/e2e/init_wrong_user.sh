#!/usr/bin/env bash
# `kiln init` by a user who does not own git_root says who does and what to
# run, instead of libgit2's "safe.directory was not found"; it creates nothing.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ssh.sh"
need_root
need_cmd useradd runuser
e2e_create_user

git_root="$T/git"
mkdir -p "$git_root/app.git" "$T/state"
git init -q --bare "$git_root/app.git"
printf 'git_root: %s\nstate_dir: %s\n' "$git_root" "$T/state" >"$T/config.yaml"
chmod 644 "$T/config.yaml"
install -m 755 "$KILN_BIN" "$T/kiln"
install -m 755 "$(dirname "$KILN_BIN")/kiln-hook" "$T/kiln-hook"

for name in app new; do
    assert_status 1 as_user "$T/kiln" --config "$T/config.yaml" init "$name"
    assert_eq "$(cat "$T/err")" "kiln: error: initialising repository '$name': git_root '$git_root' belongs to root, not to $KILN_USER; run it as root: sudo -u root kiln init $name" "stderr of init $name"
done
[ ! -e "$git_root/new.git" ] || fail "init by the wrong user created new.git"
[ ! -e "$git_root/app.git/hooks/post-receive" ] || fail "init by the wrong user installed a hook"

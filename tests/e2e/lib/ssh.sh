# The real-SSH fixture: a throwaway user, an sshd of the test's own on
# 127.0.0.1, a copy of kiln that user can run, a config in the temp dir, and
# helpers to push over ssh:// and run kiln as the user who receives pushes.
# Source tests/e2e/lib/common.sh first, then call kiln_fixture.
#
# After kiln_fixture:
#   KILN_USER   the test user (unique per test, so tests run in parallel)
#   SSH_PORT    sshd's port on 127.0.0.1
#   KILN        the kiln copy the user runs; KILN_CONFIG_FILE its config
#   GIT_ROOT, STATE_DIR, SECRETS_DIR, USER_HOME
#   GIT_SSH_COMMAND (exported) so `git push ssh://...` uses the test key
#   (a plain login); new_key / kiln_key_add / ssh_key / use_key add more keys,
#   each with kiln shell as its forced command

e2e_passwd_lock=/run/lock/kiln-e2e-passwd.lock

# Serializes useradd/userdel across tests running in parallel: both rewrite /etc/passwd.
with_passwd_lock() { flock "$e2e_passwd_lock" "$@"; }

e2e_create_user() {
    KILN_USER="kiln-$(printf "%04x%04x" "$RANDOM" "$RANDOM")"
    USER_HOME="$T/home"
    with_passwd_lock useradd --no-create-home --home-dir "$USER_HOME" --shell /bin/bash \
        --comment "kiln e2e $e2e_name" "$KILN_USER"
    on_exit e2e_remove_user "$KILN_USER"
    # useradd leaves the account locked ('!'), and sshd refuses locked accounts
    # even for key logins; '*' is "no password" yet unlocked.
    with_passwd_lock usermod -p '*' "$KILN_USER"
    mkdir -p "$USER_HOME"
    chown "$KILN_USER:" "$USER_HOME"
}

# e2e_test_processes USER: the pids of the processes this test started as
# USER that are still alive: a detached runner, a build's leader and what its
# step left, a lock holder. Each runs this test's kiln copy or config, or in
# its temp dir (a build's worktree), so it names $T in its command line or
# working directory. A uid may be someone else's by the time a test ends (a
# user removed and its uid handed out again), so the uid alone picks nothing.
e2e_test_processes() {
    local pid cwd
    for pid in $(pgrep -u "$1" || true); do
        cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$T/" || [[ "$cwd" == "$T" || "$cwd" == "$T"/* ]]; then
            echo "$pid"
        fi
    done
}

# Every process the test left running as its user ends with the test, each by
# its pid (ssh sessions end with the test's sshd: e2e_stop_sshd); then the user goes.
e2e_remove_user() {
    local user="$1" i pids
    for i in 1 2 3 4 5 6 7 8 9 10; do
        pids="$(e2e_test_processes "$user")"
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
    with_passwd_lock userdel "$user" >/dev/null 2>&1 ||
        echo "note: could not remove test user $user" >&2
}

# A port nobody listens on now; sshd start retries when another test takes it first.
e2e_free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
            echo "$port"
            return
        fi
    done
}

# sshd_started DIR: the daemon listens (pid file) or gave up on its port.
sshd_started() { [ -s "$1/sshd.pid" ] || grep -q "Cannot bind any address" "$1/sshd.log"; }

e2e_start_sshd() {
    local dir="$T/sshd" attempt
    mkdir -p "$dir" /run/sshd
    ssh-keygen -q -t ed25519 -N '' -C kiln-e2e-host -f "$dir/host_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C kiln-e2e-client -f "$dir/client_ed25519"
    cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
    chmod 644 "$dir/authorized_keys"
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        SSH_PORT="$(e2e_free_port)"
        cat >"$dir/sshd_config" <<CONFIG
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
# The fixture's own key (a plain login) and the user's file, where kiln key adds lines.
AuthorizedKeysFile $dir/authorized_keys .ssh/authorized_keys
# What a careless box allows (the issue's threat): kiln shell must not let any
# of it reach git, kiln or make.
AcceptEnv GIT_* KILN_*
# The keys live under /tmp, which is world-writable (sticky).
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $KILN_USER
LogLevel VERBOSE
CONFIG
        # Without -D sshd daemonizes first and binds after, so exit 0 says
        # nothing about the port: the daemon writes its pid file once it
        # listens, or logs "Cannot bind any address" when another test took
        # the port between e2e_free_port and now (then: the next port).
        : >"$dir/sshd.log"
        /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" || { sleep 0.2; continue; }
        wait_until 5 sshd_started "$dir" || fail "sshd wrote no pid file: $(cat "$dir/sshd.log")"
        if [ -s "$dir/sshd.pid" ]; then
            on_exit e2e_stop_sshd "$dir/sshd.pid"
            SSH_KEY="$dir/client_ed25519"
            SSH_OPTS=(-F /dev/null -i "$SSH_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
                      -o BatchMode=yes -o LogLevel=ERROR -o IdentitiesOnly=yes)
            export GIT_SSH_COMMAND="ssh ${SSH_OPTS[*]}"
            return 0
        fi
    done
    cat "$dir/sshd.log" >&2
    fail "could not start sshd"
}

# e2e_descendants PID: the pids of every process below PID, children first.
e2e_descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        e2e_descendants "$child"
    done
}

# e2e_stop_sshd PIDFILE: stops the test's sshd and the sessions it is still
# serving (each session is a child of the daemon), by pid.
e2e_stop_sshd() {
    local pid sessions
    pid="$(cat "$1" 2>/dev/null)" || return 0
    sessions="$(e2e_descendants "$pid")"
    kill "$pid" 2>/dev/null || true
    # shellcheck disable=SC2086
    [ -z "$sessions" ] || kill -KILL $sessions 2>/dev/null || true
}

# write_config [YAML...]: (re)writes the kiln config; extra lines are appended.
write_config() {
    mkdir -p "$T/etc"
    {
        echo "git_root: $GIT_ROOT"
        echo "state_dir: $STATE_DIR"
        echo "registry:"
        echo "  url: ${KILN_REGISTRY_URL:-http://127.0.0.1:5000}"
        local line
        for line in "$@"; do echo "$line"; done
    } >"$KILN_CONFIG_FILE"
    chmod 644 "$KILN_CONFIG_FILE"
}

# kiln_fixture: user, sshd, kiln copy, config. Needs root.
kiln_fixture() {
    need_root
    need_cmd /usr/sbin/sshd ssh ssh-keygen git useradd runuser flock ss pgrep
    e2e_create_user
    e2e_start_sshd
    # The build tree may not be readable by the test user (a CI checkout under
    # /root): give the user a copy.
    mkdir -p "$T/bin"
    install -m 755 "$KILN_BIN" "$T/bin/kiln"
    KILN="$T/bin/kiln"
    GIT_ROOT="$T/git"
    STATE_DIR="$T/state"
    SECRETS_DIR="$T/etc/secrets"
    KILN_CONFIG_FILE="$T/etc/config.yaml"
    mkdir -p "$GIT_ROOT" "$STATE_DIR" "$SECRETS_DIR"
    chown "$KILN_USER:" "$GIT_ROOT" "$STATE_DIR" "$SECRETS_DIR"
    write_config
}

# as_user COMMAND...: runs COMMAND as the test user, in its home, with its HOME.
as_user() {
    (cd "$USER_HOME" && runuser -u "$KILN_USER" -- env HOME="$USER_HOME" USER="$KILN_USER" LOGNAME="$KILN_USER" "$@")
}

# kiln_as_user ARGS...: the test's kiln with the test's config, as the test user.
kiln_as_user() { as_user "$KILN" --config "$KILN_CONFIG_FILE" "$@"; }

# ssh_user COMMAND...: runs COMMAND (argv, quoted for the remote shell) over the real sshd.
ssh_user() {
    ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" "$KILN_USER@127.0.0.1" "$(printf '%q ' "$@")"
}

# ssh_kiln ARGS...: `ssh HOST kiln ARGS` as a user would type it.
ssh_kiln() { ssh_user "$KILN" --config "$KILN_CONFIG_FILE" "$@"; }

# repo_url NAME: the ssh:// URL a developer pushes to.
repo_url() { echo "ssh://$KILN_USER@127.0.0.1:$SSH_PORT$GIT_ROOT/$1.git"; }

# new_clone NAME: a local repository on branch main whose origin is NAME over ssh; sets CLONE.
new_clone() {
    CLONE="$T/clone-$1"
    git init -q -b main "$CLONE"
    git -C "$CLONE" remote add origin "$(repo_url "$1")"
}

# commit_file PATH CONTENT [MESSAGE]: writes PATH in $CLONE and commits it.
commit_file() {
    mkdir -p "$(dirname "$CLONE/$1")"
    printf '%s\n' "$2" >"$CLONE/$1"
    git -C "$CLONE" add -- "$1"
    git -C "$CLONE" commit -q -m "${3:-update $1}"
}

# commit_makefile [PATH]: commits the Makefile on stdin as PATH (default
# Makefile) in $CLONE. Scripts write it as a heredoc that reads as the
# Makefile does, with one convention: a recipe line starts with 4 spaces where
# make wants a tab (a leading 4 spaces become the tab), so the script keeps
# its space indentation and no tab can be lost to an editor. Quote the
# delimiter (<<'MAKEFILE') and make's `$` is written as make reads it; leave
# it unquoted only to put a test variable ($flags) in, and write make's `$`
# as `\$`.
commit_makefile() {
    local content
    content="$(sed 's/^    /\t/')"
    commit_file "${1:-Makefile}" "$content"
}

# git_push ARGS...: `git push ARGS` from $CLONE; its output (with the remote:
# lines the hook printed) goes to $T/push.out and to stderr for the test log.
git_push() {
    local status=0
    git -C "$CLONE" push "$@" >"$T/push.out" 2>&1 || status=$?
    sed 's/^/  push| /' "$T/push.out" >&2
    return "$status"
}

# push_commit [GIT PUSH OPTIONS...]: commits a change and pushes HEAD to main.
push_commit() {
    commit_file pushes.txt "push at $(date +%s.%N)" "push"
    git_push "$@" origin HEAD:main
}

# remote_lines: what the hook printed, without git's "remote: " prefix.
remote_lines() { sed -n 's/^remote: //p' "$T/push.out" | sed 's/[[:space:]]*$//'; }

build_json() { echo "$STATE_DIR/builds/$1/$2/build.json"; }

# build_field REPO N FIELD: one field of build.json ("" when absent).
build_field() { jq -r --arg f "$3" '.[$f] // "" ' "$(build_json "$1" "$2")" 2>/dev/null; }

# wait_for_status REPO N STATUS [SECONDS]: until build.json says STATUS.
wait_for_status() {
    local repo="$1" number="$2" want="$3" seconds="${4:-60}"
    if ! wait_until "$seconds" e2e_status_is "$repo" "$number" "$want"; then
        echo "--- build.json:" >&2; cat "$(build_json "$repo" "$number")" >&2 || true
        echo "--- log:" >&2; cat "$STATE_DIR/builds/$repo/$number/log" >&2 || true
        fail "$repo#$number did not become '$want' within ${seconds}s"
    fi
}
e2e_status_is() { [ "$(build_field "$1" "$2" status)" = "$3" ]; }

# kiln_app_fixture: kiln_fixture, then `kiln init app` as the test user and a
# local clone ($CLONE) whose origin is app over ssh.
kiln_app_fixture() {
    kiln_fixture
    kiln_as_user init app >/dev/null
    new_clone app
}

# user_dir NAME: a directory the test user and the builds of app may read and
# write: in app's own home (state/home/app), the one place besides its
# worktree that a build in the sandbox sees (docs/sandbox.md).
user_dir() {
    local home="$STATE_DIR/home/app"
    mkdir -p "$home/$1"
    chown "$KILN_USER:" "$STATE_DIR/home" "$home" "$home/$1"
    chmod 700 "$STATE_DIR/home" "$home"
    echo "$home/$1"
}

# ssh_hint COMMAND...: a command the hook tells the pusher to run on the box,
# `ssh USER@HOST COMMAND`: the user the hook runs as, and the box by
# gethostname() (`uname -n`), which works on every machine (`hostname -f`
# fails where the name does not resolve); a box without a name is `<host>`.
ssh_hint() {
    local host
    host="$(uname -n)"
    [ -n "$host" ] && [ "$host" != "(none)" ] || host="<host>"
    echo "ssh $KILN_USER@$host $*"
}

# queued_line REPO N: the line the hook prints when it queues build N.
queued_line() { echo "[kiln] build $1#$2 queued (follow: $(ssh_hint kiln logs "$1" "$2" -f))"; }

# runner_pids: the pids of kiln runners of the test user.
runner_pids() { pgrep -u "$KILN_USER" -f -- "$KILN --config $KILN_CONFIG_FILE runner" || true; }

# new_key NAME: a fresh ed25519 key pair $T/sshd/key_NAME{,.pub}, not yet authorized.
new_key() { ssh-keygen -q -t ed25519 -N '' -C "kiln-e2e-$1" -f "$T/sshd/key_$1"; }

# kiln_key_add NAME ROLE [GLOB...]: new_key NAME, then `kiln key add` of it
# as the test user, so its login runs `kiln shell NAME`.
kiln_key_add() {
    local name="$1" role="$2"; shift 2
    new_key "$name"
    if [ "$#" -gt 0 ]; then
        kiln_as_user key add "$name" "$T/sshd/key_$name.pub" --role "$role" --repos "$@" >/dev/null
    else
        kiln_as_user key add "$name" "$T/sshd/key_$name.pub" --role "$role" >/dev/null
    fi
}

# key_ssh_opts NAME: the ssh options that log in with key NAME alone.
key_ssh_opts() {
    echo "-F /dev/null -i $T/sshd/key_$1 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" \
         "-o BatchMode=yes -o LogLevel=ERROR -o IdentitiesOnly=yes"
}

# ssh_key NAME [SSH OPTIONS...] -- COMMAND: runs COMMAND (one string, sent as
# it is, so a test controls every byte the client sends) logged in with key NAME.
ssh_key() {
    local name="$1"; shift
    local opts=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
    shift
    # shellcheck disable=SC2046
    ssh $(key_ssh_opts "$name") "${opts[@]}" -p "$SSH_PORT" "$KILN_USER@127.0.0.1" "$@"
}

# use_key NAME: git over ssh (GIT_SSH_COMMAND) logs in with key NAME from now on.
use_key() { export GIT_SSH_COMMAND="ssh $(key_ssh_opts "$1")"; }

# access_log: the path of kiln shell's access log.
access_log() { echo "$STATE_DIR/access.log"; }

# assert_refused KEY [SSH OPTIONS...] -- COMMAND LINE: COMMAND over key KEY
# exits 1 with exactly LINE on stderr, nothing on stdout, and adds one
# verdict=refused line for KEY to the access log.
assert_refused() {
    local key="$1" before after; shift
    local args=()
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    local command="$2" line="$3"
    before="$(wc -l <"$(access_log)" 2>/dev/null || echo 0)"
    assert_status 1 ssh_key "$key" "${args[@]}" -- "$command" </dev/null
    assert_eq "$(cat "$T/err")" "$line" "stderr of '$command' over key $key"
    assert_eq "$(cat "$T/out")" "" "stdout of '$command' over key $key"
    after="$(wc -l <"$(access_log)")"
    assert_eq "$after" "$((before + 1))" "access log lines after '$command'"
    tail -n 1 "$(access_log)" >"$T/last-access"
    assert_file_contains "$T/last-access" " key=$key from=127.0.0.1 verdict=refused command="
}

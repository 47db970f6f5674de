#!/usr/bin/env bash
# Inside the fresh root (pid 1 of its namespaces, as its root): a newcomer,
# the user dev with sudo, follows README.md from a bare Debian 12 machine to
# a deployed image, typing the commands install.sh prints:
#   git clone, sudo ./install.sh, the developer's key, kiln init, the example
#   app pushed over SSH as the git user, the image in the installed registry,
#   a kiln watch (standing in for the deploy host) deploying it, kiln image gc
#   on the installed registry, kiln doctor,
#   a second sudo ./install.sh that changes nothing, and --uninstall keeping
#   the repositories.
# The root shares the host's network: sshd and kiln watch listen on free
# ports of 127.0.0.1; install.sh's registry takes 127.0.0.1:5000 (run.sh
# checked that it is free).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root
unset GIT_DIR GIT_WORK_TREE
out=/fresh-root/out
export FRESH_ROOT_TIMES="$out/times"
# shellcheck source=lib/steps.sh
source /fresh-root/lib/steps.sh
trap step_end EXIT

host=buildbox
registry=127.0.0.1:5000
dev_home=/home/dev
# The newcomer's shell: a clean environment, as after logging in. The ccache
# variables pass through sudo (sudoers below) into install.sh's cmake, which
# takes CMAKE_CXX_COMPILER_LAUNCHER from the environment: the compiler's
# output is kept between runs, and the build is otherwise install.sh's own.
dev_env=(env -i HOME="$dev_home" USER=dev LOGNAME=dev SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb
         PATH=/usr/local/bin:/usr/bin:/bin CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_DIR=/var/cache/ccache)

# A line per package or per compiled file: to the log only.
progress_line='^(\[ *[0-9]+%\] |Get:[0-9]+ |Selecting previously unselected |Preparing to unpack |Unpacking |Setting up |Processing triggers |\(Reading database )'

# show LOG: copies stdin to LOG and, indented, to stdout, but for progress
# lines (apt's per package, cmake's per file). Each "==> " line install.sh
# prints starts a phase: "SECONDS<TAB>PHASE" lines go to LOG.phases.
show() {
    local log="$1" line progress=0 phase="" phase_start=$SECONDS
    : >"$log"; : >"$log.phases"
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$log"
        if [[ "$line" =~ $progress_line ]]; then
            progress=$((progress + 1))
            continue
        fi
        printf '  %s\n' "$line"
        if [[ "$line" == "==> "* ]]; then
            [ -z "$phase" ] || printf '%s\t%s\n' "$((SECONDS - phase_start))" "$phase" >>"$log.phases"
            phase="${line#==> }" phase_start=$SECONDS
        fi
    done
    [ -z "$phase" ] || printf '%s\t%s\n' "$((SECONDS - phase_start))" "$phase" >>"$log.phases"
    [ "$progress" -eq 0 ] || echo "  ($progress progress lines of apt and cmake: $log)"
}

# type_in DIR LOG COMMAND: the newcomer types COMMAND in DIR; its output
# shows as it comes (and goes to $out/LOG.log); returns COMMAND's status.
# Through a file that tail follows until COMMAND ends, not a pipe: a daemon
# COMMAND starts may keep its stdout open, and a pipe would then never end.
# Each command gets an hour, a first build's worst on a loaded machine.
type_in() {
    local dir="$1" log="$out/$2.log" command="$3" status=0 pid
    echo "dev@$host:${dir/#$dev_home/\~}\$ $command"
    : >"$log.raw"
    (cd "$dir" && exec timeout --kill-after=10 3600 runuser -u dev -- "${dev_env[@]}" bash -c "$command") \
        >"$log.raw" 2>&1 </dev/null &
    pid=$!
    tail -n +1 -f --pid="$pid" "$log.raw" | show "$log"
    wait "$pid" || status=$?
    rm -f "$log.raw"
    return "$status"
}

# must_type DIR LOG COMMAND: type_in, failing the test when COMMAND fails.
must_type() { type_in "$@" || fail "'$3' exited $?"; }

# phase_times LOG: install.sh's phases (its "==> " lines) and their times.
phase_times() {
    awk -F'\t' '{ printf "    %5ds  %s\n", $1, $2 }' "$out/$1.log.phases"
}

# printed LOG PREFIX: the command line install.sh printed that starts with
# PREFIX (indented, as install.sh prints its next steps).
printed() {
    local line
    line="$(sed -n "s/^[[:space:]]\\{1,\\}\\($2.*\\)\$/\\1/p" "$out/$1.log" | head -n 1)"
    [ -n "$line" ] || fail "install.sh printed no line starting with '$2' (output: $out/$1.log)"
    echo "$line"
}

free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        [ -n "$(ss -Htln "sport = :$port")" ] || { echo "$port"; return; }
    done
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

# http_get PATH [HEADER...]: the registry's answer (headers and body), with
# bash alone: the newcomer's machine has no curl.
http_get() {
    local path="$1" header; shift
    exec 3<>"/dev/tcp/${registry%:*}/${registry#*:}"
    {
        printf 'GET %s HTTP/1.0\r\nHost: %s\r\n' "$path" "$registry"
        for header in "$@"; do printf '%s\r\n' "$header"; done
        printf '\r\n'
    } >&3
    cat <&3
    exec 3<&-
}

# installed_state: content, mode and owner of what install.sh installs.
installed_state() {
    local path paths=()
    for path in /usr/local /etc/kiln /etc/systemd/system /etc/docker /srv/git/.ssh /srv/git/app.git/hooks \
        /srv/git/app.git/config /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/subuid /etc/subgid; do
        [ ! -e "$path" ] || paths+=("$path")
    done
    find "${paths[@]}" \( -type f -printf '%M %u:%g %p ' -exec sh -c 'sha256sum < "$1" | cut -d" " -f1' sh {} \; \) -o \
        \( ! -type f -printf '%M %u:%g %p %l\n' \) | sort -k3
}

step "a fresh Debian 12 machine: no daemon starts on install, a newcomer 'dev' with sudo"
printf '#!/bin/sh\n# A test root: apt starts no daemon here.\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
# dpkg syncs each file it unpacks; a root thrown away after the test needs no
# sync, and skipping it saves minutes of install.sh's apt-get.
echo force-unsafe-io >/etc/dpkg/dpkg.cfg.d/fresh-root-unsafe-io
echo "$host" >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$host" >/etc/hosts
useradd --create-home --shell /bin/bash --groups sudo dev
echo 'dev ALL=(ALL:ALL) NOPASSWD: ALL' >/etc/sudoers.d/dev
echo 'Defaults env_keep += "CMAKE_CXX_COMPILER_LAUNCHER CCACHE_DIR"' >/etc/sudoers.d/fresh-root-ccache
chmod 440 /etc/sudoers.d/dev /etc/sudoers.d/fresh-root-ccache
runuser -u dev -- "${dev_env[@]}" git config --global user.name "New Comer"
runuser -u dev -- "${dev_env[@]}" git config --global user.email "newcomer@buildbox.invalid"
echo "  $(. /etc/os-release && echo "$PRETTY_NAME"), $(dpkg-query -W -f '${db:Status-Status}\n' | grep -c '^installed$') packages, host name $(hostname)"

step "git clone kiln (the commit under test)"
must_type "$dev_home" clone "git clone /fresh-root/kiln.bundle kiln"

step "sudo ./install.sh"
must_type "$dev_home/kiln" install "sudo ./install.sh"
echo "  install.sh's phases:"; phase_times install

step "sshd on 127.0.0.1 (the box's ssh server: its own host key, UsePAM no)"
ssh_port="$(free_port)"
mkdir -p /fresh-root/sshd /run/sshd
ssh-keygen -q -t ed25519 -N '' -C "$host" -f /fresh-root/sshd/host_ed25519
cat >/fresh-root/sshd/sshd_config <<CONFIG
Port $ssh_port
ListenAddress 127.0.0.1
HostKey /fresh-root/sshd/host_ed25519
PidFile /run/sshd-fresh-root.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
LogLevel VERBOSE
CONFIG
/usr/sbin/sshd -f /fresh-root/sshd/sshd_config -E "$out/sshd.log" || fail "sshd did not start: $(cat "$out/sshd.log")"
wait_for 10 test -s /run/sshd-fresh-root.pid || fail "sshd wrote no pid file: $(cat "$out/sshd.log")"
echo "  sshd listens on 127.0.0.1:$ssh_port; the newcomer's ~/.ssh/config says $host is there"
install -d -o dev -g dev -m 700 "$dev_home/.ssh"
printf 'Host %s\n    HostName 127.0.0.1\n    Port %s\n    StrictHostKeyChecking accept-new\n' "$host" "$ssh_port" \
    >"$dev_home/.ssh/config"
chown dev: "$dev_home/.ssh/config"

step "the developer's key for the git user"
must_type "$dev_home" keygen "ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519"
must_type "$dev_home/.ssh" key "$(printed install 'sudo -u git tee -a ')"

step "a repository for the app"
must_type "$dev_home" init "$(printed install 'sudo -u git [^ ]*kiln init app')"

step "the deploy host's kiln watch (it deploys by writing /home/deploy/deployed)"
useradd --create-home --shell /bin/bash deploy
runuser -u deploy -- env HOME=/home/deploy kiln --config /etc/kiln/config.yaml watch app:latest --now --interval 2s \
    --exec 'echo "$KILN_IMAGE" >/home/deploy/deployed' >"$out/watch.log" 2>&1 &
watch_pid=$!
wait_for 30 grep -q "image=$registry/app:latest" "$out/watch.log" || fail "kiln watch did not start: $(cat "$out/watch.log")"
echo "  $(head -n 1 "$out/watch.log")"

step "the example app, pushed over SSH as the git user"
# README.md's two lines for it, as written.
must_type "$dev_home" app 'cp -r kiln/examples/app app && cd app
git init -b main && git add -A && git commit -m "the example app"'
must_type "$dev_home/app" remote "$(printed install 'git remote add build ')"
must_type "$dev_home/app" push "$(printed install 'git push build main')"
sha="$(runuser -u dev -- git -C "$dev_home/app" rev-parse HEAD)"
# git prints its own lines (To ..., the refs) after the hook's: the hook's
# last line is the build's result.
last="$(sed -n 's/^remote: //p' "$out/push.log" | sed 's/[[:space:]]*$//' | grep -v '^$' | tail -n 1)"
[[ "$last" =~ ^\[kiln\]\ app#1\ success\ in\ [0-9]+s,\ image\ $registry/app:$sha,\ digest\ (sha256:[0-9a-f]{64})$ ]] ||
    fail "the push's last line: '$last'"
digest="${BASH_REMATCH[1]}"

step "the image is in the installed registry ($registry)"
tags="$(http_get /v2/app/tags/list | tail -n 1)"
echo "  GET /v2/app/tags/list: $tags"
for tag in "$sha" latest main; do
    [[ "$tags" == *"\"$tag\""* ]] || fail "the registry has no tag $tag: $tags"
done
latest="$(http_get /v2/app/manifests/latest "Accept: application/vnd.oci.image.manifest.v1+json" \
    "Accept: application/vnd.oci.image.index.v1+json" "Accept: application/vnd.docker.distribution.manifest.v2+json" \
    "Accept: application/vnd.docker.distribution.manifest.list.v2+json" |
    sed -n 's/^Docker-Content-Digest: *\([^[:space:]]*\).*/\1/Ip')"
echo "  app:latest is $latest"
[ "$latest" = "$digest" ] || fail "app:latest is '$latest', the push said $digest"

step "kiln watch deploys it"
wait_for 60 grep -qF "$registry/app@$digest" /home/deploy/deployed 2>/dev/null ||
    fail "kiln watch deployed nothing: $(cat "$out/watch.log")"
echo "  deployed: $(cat /home/deploy/deployed)"
kill "$watch_pid"

step "sudo kiln image gc: the registry install.sh set up is one kiln manages"
must_type "$dev_home" gc "sudo kiln image gc"
grep -qE '^freed [0-9]+ bytes' "$out/gc.log" || fail "kiln image gc printed no 'freed' line: $(cat "$out/gc.log")"
after_gc="$(http_get /v2/app/manifests/latest "Accept: application/vnd.oci.image.manifest.v1+json" \
    "Accept: application/vnd.docker.distribution.manifest.v2+json" |
    sed -n 's/^Docker-Content-Digest: *\([^[:space:]]*\).*/\1/Ip')"
[ "$after_gc" = "$digest" ] || fail "after kiln image gc, app:latest is '$after_gc', not $digest"

step "sudo -u git kiln doctor"
must_type "$dev_home" doctor "sudo -u git kiln doctor"

step "a second sudo ./install.sh changes nothing"
installed_state >"$out/state.before"
must_type "$dev_home/kiln" install-again "sudo ./install.sh"
echo "  install.sh's phases:"; phase_times install-again
installed_state >"$out/state.after"
if ! diff -u "$out/state.before" "$out/state.after" >"$out/state.diff"; then
    cat "$out/state.diff"
    fail "the second install.sh changed the installed files above"
fi
echo "  $(wc -l <"$out/state.before") installed files and dirs: content, mode and owner unchanged"

step "sudo ./install.sh --uninstall keeps the repositories"
must_type "$dev_home/kiln" uninstall "sudo ./install.sh --uninstall"
[ ! -e /usr/local/bin/kiln ] || fail "--uninstall left /usr/local/bin/kiln"
kept="$(git -c safe.directory='*' --git-dir=/srv/git/app.git rev-parse main 2>&1)" || fail "--uninstall did not keep /srv/git/app.git: $kept"
[ "$kept" = "$sha" ] || fail "/srv/git/app.git's main is '$kept', not the pushed $sha"
echo "  /srv/git/app.git kept, main at $sha; /usr/local/bin/kiln removed"
step_end
echo
echo "fresh-root: the walkthrough passed"

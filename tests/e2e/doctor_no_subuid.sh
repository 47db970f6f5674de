#!/usr/bin/env bash
# A repo builds with buildah but its user has no subordinate ids (what
# `useradd --system` gives): `kiln doctor` fails subuid and subgid, each with
# the usermod that adds a range no other user has; after both, all pass.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

# Other tests add and remove users meanwhile: hold their lock from taking this
# user's ranges away until doctor's fixes gave it new ones. (usermod
# --del-subuids refuses a user with processes, and the runner is one.)
exec 9>"$e2e_passwd_lock"
flock 9
sed -i "/^$KILN_USER:/d" /etc/subuid /etc/subgid
free() { awk -F: 'BEGIN { top = 100000 } { if ($2 + $3 > top) top = $2 + $3 } END { print top "-" top + 65535 }' "$1"; }
uid_fix="sudo usermod --add-subuids $(free /etc/subuid) $KILN_USER"
gid_fix="sudo usermod --add-subgids $(free /etc/subgid) $KILN_USER"
assert_status 1 kiln_as_user doctor
assert_file_line "$T/out" "FAIL subuid: $KILN_USER has no range in /etc/subuid: buildah cannot build images; fix: $uid_fix"
assert_file_line "$T/out" "FAIL subgid: $KILN_USER has no range in /etc/subgid: buildah cannot build images; fix: $gid_fix"
assert_eq "$(grep -c '^FAIL ' "$T/out")" 2 "failed checks"

step "the fixes, as doctor wrote them (root needs no sudo)"
${uid_fix#sudo }
${gid_fix#sudo }
flock -u 9
assert_status 0 kiln_as_user doctor

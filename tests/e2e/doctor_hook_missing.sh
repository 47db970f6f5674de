#!/usr/bin/env bash
# A repository without its hook fails `kiln doctor` with the command that
# puts it back; after that command every check passes.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

rm "$GIT_ROOT/app.git/hooks/post-receive"
doctor_hook_fails_until_init "FAIL hook app: $GIT_ROOT/app.git/hooks/post-receive is missing: pushes build nothing; fix: $DOCTOR_KILN init app"

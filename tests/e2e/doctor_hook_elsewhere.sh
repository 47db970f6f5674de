#!/usr/bin/env bash
# A hook that runs another kiln (a copy `kiln init` was run from) fails
# `kiln doctor`, which names both and the command that points it here.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/doctor.sh"
doctor_box

mkdir -p "$T/other"
install -m 755 "$KILN_BIN" "$T/other/kiln"
as_user "$T/other/kiln" --config "$KILN_CONFIG_FILE" init app >/dev/null
doctor_hook_fails_until_init "FAIL hook app: $GIT_ROOT/app.git/hooks/post-receive runs $T/other/kiln --config $KILN_CONFIG_FILE, not this kiln's $KILN --config $KILN_CONFIG_FILE; fix: $DOCTOR_KILN init app"

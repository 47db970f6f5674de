#!/usr/bin/env bash
# The hook `kiln init` installs runs kiln-hook, which loads none of kiln's
# heavy libraries.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/init.sh"
init_fixture
assert_status 0 kiln init app

kiln_hook="$(dirname "$KILN_BIN")/kiln-hook"
assert_file_contains "$hook" "exec '$kiln_hook' --config '$T/config.yaml' hook post-receive"
assert_status 0 "$kiln_hook" --help
assert_file_contains "$T/out" "hook"
assert_status 1 "$kiln_hook" --no-such-option
ldd "$kiln_hook" >"$T/ldd" 2>&1 || true  # a static kiln-hook: "not a dynamic executable"
for heavy in libgit2 libssl libcrypto libarchive libyaml-cpp libspdlog libfmt httplib; do
    assert_file_lacks "$T/ldd" "$heavy"
done

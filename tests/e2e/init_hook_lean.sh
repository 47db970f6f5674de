#!/usr/bin/env bash
# kiln-hook, which runs on every push, holds none of libgit2, the registry
# client, OpenSSL or libarchive. Asked of its symbols, which name what was
# linked in whether the binary is static (the release build) or not (the
# sanitizer build, which also shows shared libraries to ldd).
source "$(dirname "$0")/lib/common.sh"
need_cmd nm
kiln_hook="$(dirname "$KILN_BIN")/kiln-hook"

nm -C "$kiln_hook" >"$T/symbols" 2>"$T/nm.err" || true
[ "$(wc -l <"$T/symbols")" -gt 1000 ] ||
    fail "nm lists no symbols of $kiln_hook (stripped?), so nothing would be checked: $(cat "$T/nm.err")"
assert_file_contains "$T/symbols" "kiln::queue::"  # the hook's own libraries are there
for heavy in ' git_libgit2_init' ' git_repository_open' 'kiln::registry::' ' OPENSSL_init' ' EVP_' ' SSL_new' \
    ' archive_read_new' ' archive_write_new'; do
    assert_file_lacks "$T/symbols" "$heavy"
done

ldd "$kiln_hook" >"$T/ldd" 2>&1 || true  # static: "not a dynamic executable"
for heavy in libgit2 libssl libcrypto libarchive; do
    assert_file_lacks "$T/ldd" "$heavy"
done

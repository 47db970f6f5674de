# Sourced by install.sh: builds kiln and installs its binaries.

# The binaries the unit tests ran, by content: a re-run whose build changed
# none of them has nothing new to test.
tested_binaries() {
    find "$build_dir" "$build_dir/tests" -maxdepth 1 -type f -perm -u+x \( -name 'kiln*' -o -name 'unit_*' \) \
        -exec sha256sum {} + | sort -k2
}

run_unit_tests() {
    local passed="$cache_dir/unit-tests.passed" log="$cache_dir/unit-tests.log"
    step "unit tests (log: $log)"
    if [ -f "$passed" ] && [ "$(tested_binaries)" = "$(cat "$passed")" ]; then
        note "nothing rebuilt since they passed: $(grep -E '^[0-9]+% tests passed' "$log" || echo "see $log")"
        return
    fi
    rm -f "$passed"
    if ! ctest --test-dir "$build_dir" -L unit --output-on-failure -j"$(nproc)" >"$log" 2>&1; then
        grep -E -A 30 '^[0-9]+% tests passed' "$log" >&2 || tail -n 40 "$log" >&2
        fail "unit tests failed (all of it: $log); nothing was installed"
    fi
    note "$(grep -E '^[0-9]+% tests passed' "$log")"
    tested_binaries >"$passed"
}

# Sets kiln_changed to 1 when kiln or kiln-hook was (re)installed.
build_and_install() {
    local with_tests=OFF
    [ "$tests" = 1 ] && with_tests=ON
    install -d -m 755 "$cache_dir"
    step "building kiln (Release) in $build_dir: a first build takes minutes (log: $cache_dir/build.log)"
    # Outside the checkout: the tree is over a gigabyte, and kept, so a re-run
    # rebuilds only what changed. Never -Werror: a newer compiler's new warning
    # must not stop an install.
    run_logged "$cache_dir/configure.log" "configuring the build" \
        cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DKILN_WERROR=OFF -DKILN_SANITIZE=OFF \
        -DKILN_BUILD_TESTS="$with_tests" -DCMAKE_INSTALL_PREFIX="$prefix" -DKILN_USER="$user"
    run_logged "$cache_dir/build.log" "building kiln" cmake --build "$build_dir" -j"$(nproc)"
    if [ "$tests" = 1 ]; then
        run_unit_tests
    fi
    # Stripped into a staging tree first, so that an unchanged binary is
    # recognised and left alone.
    rm -rf "$stage_dir"
    DESTDIR="$stage_dir" run_logged "$cache_dir/stage.log" "staging the install" \
        cmake --install "$build_dir" --prefix "$prefix" --strip
    kiln_changed=0
    step "installing into $prefix"
    local name
    for name in "$@"; do
        install_file 755 root:root "$stage_dir$bin_dir/$name" "$bin_dir/$name"
        [ "$wrote" = 0 ] || kiln_changed=1
    done
    [ "$kiln_changed" = 1 ] || note "kiln is up to date"
    note "$("$kiln" version)"
}

#!/bin/sh
# Runs the core subset of the integration suite against Apache in single-process mode (-X) with
# the module built with AddressSanitizer + UndefinedBehaviorSanitizer, and fails on any report.
#
#   sh tests/integration/run-sanitized.sh            build build/asan/, then run (as root)
#   SKIP_BUILD=1 sh tests/integration/run-sanitized.sh   reuse build/asan/mod_cookieconsent.so
#   sh tests/integration/run-sanitized.sh -k state   extra arguments go to pytest
#   MODE=valgrind sh tests/integration/run-sanitized.sh  the same subset under valgrind memcheck,
#                                    with the normal module (.libs/, or $CC_MODULE)
#
# Core subset: the endpoint, undecided visitors, expiry, banner injection, the bad-input
# catalogue, the paths matrix, interim responses (WebSocket 101, 103, 100 Continue),
# CookieConsentExclude, the state JSON's cookie field, the hardening of issue 7 and the
# third-party rewriter (COOKIECONSENT_GATE), consent records (file, pipe, SQLite).
#
# The ASan module is built from a copy of the sources in build/asan/tree/ (with gcc, the compiler
# apxs uses), so the normal build (.libs/mod_cookieconsent.so, src/*.lo) is never touched.
# apache2 itself is not instrumented: gcc's libasan (and libubsan) are LD_PRELOADed into it by the
# harness (harness/sanitizer.py, CC_SANITIZE=asan), and `apache2 -t` runs the same way. So is
# build/asan/asan_pool_shim.so (tests/integration/asan_pool_shim.c): it turns every apr_palloc()
# into its own malloc(), otherwise ASan cannot see an overflow from one pool allocation into the
# next, the module's most likely memory error.
# LeakSanitizer is off (ASAN_OPTIONS=detect_leaks=0): Apache allocates from pools that it frees
# at exit or never, so LSan reports every pool of httpd and APR; leaks of the module are the
# fuzzers' and unit tests' job (make unit-asan, make fuzz). Under valgrind, definite leaks and
# errors count only when their stack goes through the module.
# Exit status: non-zero if pytest fails or if any "ERROR: AddressSanitizer", UBSan
# "runtime error:" or memcheck error was written by any instance (stderr, error log, logs of the
# sanitizers).
set -u
cd "$(dirname "$0")/../.." || exit 2
REPO=$(pwd)
OUT=build/asan
PY=${PYTHON:-/usr/bin/python3}
CORE="tests/integration/test_endpoint.py tests/integration/test_undecided.py
      tests/integration/test_expiry.py tests/integration/test_banner.py
      tests/integration/test_bad_input.py tests/integration/test_paths_matrix.py
      tests/integration/test_interim.py tests/integration/test_exclude.py
      tests/integration/test_state_cookie.py tests/integration/test_gate.py
      tests/integration/test_hardening.py tests/integration/test_banner_hardening.py
      tests/integration/test_records.py tests/integration/test_signed_consent.py"

MODE=${MODE:-asan}
LOG="$REPO/$OUT/sanitizer-reports.log"
mkdir -p "$OUT" || exit 2
: > "$LOG"

start=$(date +%s)
if [ "$MODE" = valgrind ]; then
    echo "== pytest (apache2 -X under valgrind memcheck)"
    # test_cgi_output checks chunked framing, which depends on timing valgrind changes
    # shellcheck disable=SC2086
    CC_SANITIZE=valgrind CC_SANITIZE_LOG="$LOG" "$PY" -m pytest -q -p no:cacheprovider $CORE \
        --deselect tests/integration/test_banner.py::test_cgi_output "$@"
    rc=$?
    built=$start
elif [ "$MODE" != asan ]; then
    echo "MODE must be asan or valgrind" >&2
    exit 2
fi
if [ "$MODE" = asan ] && { [ -z "${SKIP_BUILD:-}" ] || [ ! -f "$OUT/mod_cookieconsent.so" ] \
        || [ ! -f "$OUT/asan_pool_shim.so" ]; }; then
    echo "== building $OUT/mod_cookieconsent.so (ASan + UBSan)"
    rm -rf "$OUT/tree"
    mkdir -p "$OUT/tree/src" "$OUT/tree/include" || exit 2
    cp mod_cookieconsent.c "$OUT/tree/" && cp src/*.c "$OUT/tree/src/" \
        && cp include/*.h "$OUT/tree/include/" || exit 2
    sh scripts/embed-assets.sh "$OUT/tree/cc_assets_data.c" \
        assets/cookieconsent.css assets/cookieconsent.js || exit 2
    (
        cd "$OUT/tree" &&
        apxs -c -I include -Wc,-Wall -Wc,-Wextra -Wc,-g -Wc,-O1 \
            -Wc,-fsanitize=address,undefined -Wc,-fno-omit-frame-pointer \
            -Wc,-U_FORTIFY_SOURCE \
            -Wl,-fsanitize=address -Wl,-fsanitize=undefined \
            -o mod_cookieconsent.la mod_cookieconsent.c src/mod_cc_*.c src/cc_*.c \
            cc_assets_data.c -lcrypto
    ) > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 2; }
    cp "$OUT/tree/.libs/mod_cookieconsent.so" "$OUT/mod_cookieconsent.so" || exit 2
    # shellcheck disable=SC2046
    gcc -g -O1 -fPIC -shared -fsanitize=address $(apr-1-config --includes) \
        -o "$OUT/asan_pool_shim.so" \
        tests/integration/asan_pool_shim.c -ldl || exit 2
fi
if [ "$MODE" = asan ]; then
    if ! nm -D "$OUT/mod_cookieconsent.so" | grep -q "U __asan_report"; then
        echo "$OUT/mod_cookieconsent.so is not instrumented with ASan" >&2
        exit 2
    fi
    built=$(date +%s)
    echo "== pytest (apache2 -X, LD_PRELOAD=$(gcc -print-file-name=libasan.so) ...)"
    # shellcheck disable=SC2086
    CC_SANITIZE=asan CC_MODULE="$REPO/$OUT/mod_cookieconsent.so" CC_SANITIZE_LOG="$LOG" \
    CC_ASAN_POOL_SHIM="$REPO/$OUT/asan_pool_shim.so" \
        "$PY" -m pytest -q -p no:cacheprovider $CORE "$@"
    rc=$?
fi
end=$(date +%s)

echo "== build $((built - start)) s, tests $((end - built)) s"
if [ -s "$LOG" ]; then
    n=$(grep -c "^sanitizer report" "$LOG")
    echo "== SANITIZER REPORTS: $n instance(s) or config check(s) reported errors; first lines:"
    head -60 "$LOG"
    echo "== full text: $LOG"
    exit 1
fi
echo "== sanitizer reports: none ($MODE)"
exit "$rc"

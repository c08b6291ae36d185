#!/bin/sh
# Headless-browser tests of mod_cookieconsent: banner, settings layer, pages, accessibility (axe-core)
# and the screenshots of docs/screenshots/. Needs root (a private Apache running as www-data),
# /usr/bin/chromium (Debian package "chromium") and Node >= 20. Installs nothing but node_modules
# (from package-lock.json) when they are missing.
#   tests/browser/run.sh [FILE.test.mjs ...]     module: $CC_MODULE or <repo>/.libs/mod_cookieconsent.so
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
    npm ci --no-audit --no-fund
fi
if [ $# -eq 0 ]; then
    set -- *.test.mjs
fi
# TAP reporter: its summary ends with "# pass N" / "# fail N"; the exit status is non-zero on failure.
exec node --test --test-reporter=tap --test-concurrency=1 "$@"

#!/usr/bin/env bash
# Installs what mod_cookieconsent needs on Debian 12 (run as root).
#   bash scripts/install-deps.sh            build + demo: Apache and its development files
#   bash scripts/install-deps.sh --package  also what "make -f Makefile.apxs deb" needs
#   bash scripts/install-deps.sh --test     also what the tests need (pytest, curl, clang, and the
#                                           --package list: tests/package/test-deb.sh builds the .deb)
set -euo pipefail

# libaprutil1-dbd-sqlite3: the demo records consents in SQLite (CookieConsentRecords dbd);
# libssl-dev: libcrypto (SHA-256 of the texts shown)
pkgs=(apache2 apache2-dev libapr1-dev libaprutil1-dev libaprutil1-dbd-sqlite3 libssl-dev make gcc
      curl)
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--package" ]; then
    # dpkg-buildpackage checks build-essential; Rules-Requires-Root: no, so no fakeroot.
    pkgs+=(build-essential dpkg-dev debhelper lintian)
fi
if [ "${1:-}" = "--test" ]; then
    pkgs+=(python3 python3-pytest python3-requests clang libclang-rt-14-dev nghttp2-client
           openssl chromium fonts-dejavu-core
           # consent records (issue 10): SQLite and PostgreSQL through mod_dbd; the tests start
           # their own PostgreSQL server (initdb as the postgres user the package creates)
           libaprutil1-dbd-pgsql sqlite3 postgresql)
    # The browser tests need Node.js and npm; keep a newer one the machine already has.
    command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: everything is already installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run as root (or: sudo $0 $*)" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
# Debian starts the packaged Apache on port 80; the demo and tests run their own instances.
if command -v apache2ctl >/dev/null && [ -f /run/apache2/apache2.pid ]; then
    apache2ctl stop >/dev/null 2>&1 || true
fi

#!/usr/bin/env bash
# The Debian package on the system's Apache (issue 11), as CI runs it on a fresh Debian 12, as root:
#   1. make -f Makefile.apxs deb (dpkg-buildpackage, then lintian: an error fails);
#   2. apt-get install ./build/libapache2-mod-cookieconsent_*.deb, a2enmod cookieconsent, a site
#      made from the packaged example vhost (examples/outscale.conf) on port 80, apachectl
#      configtest, apache2ctl start;
#   3. curl: an undecided visitor gets the banner and loses the statistical Set-Cookie while the
#      necessary one stays, a cookie the browser holds is expired, "accept all" lets it through;
#   4. apache2ctl stop, a2dissite, apt-get remove (the module still enabled: the package's prerm
#      must disable it), then the system's Apache must still pass configtest, start and serve.
# Everything it changes is undone on exit, failure included (trap): the package is purged, the test
# site and its document root are deleted, mod_headers is disabled again if it was off, and the
# system Apache is left stopped.
#   bash tests/package/test-deb.sh            (prints "N passed, N failed"; exit 1 on any failure)
set -u
cd "$(dirname "$0")/../.."

PKG=libapache2-mod-cookieconsent
SITE=cookieconsent-test
SITE_FILE=/etc/apache2/sites-available/$SITE.conf
DOCROOT=/var/www/$SITE
DOC=/usr/share/doc/$PKG
# The example's ServerName; Debian's 000-default takes the requests for 127.0.0.1 (where the server
# has no other name, its ServerName is 127.0.0.1).
URL=http://localhost
WORK=$(mktemp -d /tmp/cc-test-deb.XXXXXX)
passed=0
failed=0
headers_was_enabled=1

ok()   { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# check DESCRIPTION COMMAND...: one test, passed when COMMAND succeeds.
check() {
    local what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
not() { ! "$@"; }
summary() { echo "$passed passed, $failed failed"; }

apache_running() {
    local pid
    pid=$(cat /run/apache2/apache2.pid 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}
stop_apache() {
    apache_running || return 0
    apache2ctl stop >/dev/null 2>&1
    for _ in $(seq 50); do apache_running || return 0; sleep 0.2; done
    return 1
}
start_apache() {
    apache2ctl start || return 1
    for _ in $(seq 50); do
        curl -s -o /dev/null --max-time 2 "$URL/" && return 0
        sleep 0.2
    done
    return 1
}

cleanup() {
    set +e
    stop_apache
    [ -e /etc/apache2/sites-enabled/$SITE.conf ] && a2dissite -q $SITE >/dev/null
    rm -f "$SITE_FILE"
    rm -rf "$DOCROOT"; [ -n "${KEEP_WORK:-}" ] && echo "test-deb: kept $WORK" || rm -rf "$WORK"
    [ "$headers_was_enabled" = 0 ] && a2dismod -q headers >/dev/null
    if dpkg-query -W -f='${Status}' $PKG 2>/dev/null | grep -qv "not-installed"; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $PKG >/dev/null 2>&1
    fi
    stop_apache
}

if [ "$(id -u)" -ne 0 ]; then
    echo "test-deb: needs root (it installs the package on the system's Apache)" >&2
    exit 1
fi
if apache_running || curl -s -o /dev/null --max-time 2 "$URL/"; then
    echo "test-deb: something already answers on port 80 (the system Apache?); stop it first" >&2
    exit 1
fi
trap cleanup EXIT
trap "exit 130" INT TERM HUP
export DEBIAN_FRONTEND=noninteractive

# ---------------------------------------------------------------------------- build
if make -f Makefile.apxs deb > "$WORK/build.log" 2>&1; then
    ok "make deb: the package builds and lintian reports no error"
    sed -n '/^deb: /,$p' "$WORK/build.log"
else
    tail -40 "$WORK/build.log"
    fail "make deb: the package builds and lintian reports no error"
    summary; exit 1
fi
debs=(build/${PKG}_*.deb)
check "one package in build/ (${debs[*]})" test "${#debs[@]}" -eq 1 -a -f "${debs[0]}"
deb=${debs[0]}

# The Apache ABI dependency computed by dh_apache2, and the one the installed Apache provides.
api=$(dpkg-deb -f "$deb" Depends | grep -o 'apache2-api-[0-9]\{8\}')
provided=$(dpkg-query -W -f='${Provides}' apache2-bin)
check "Depends names the Apache ABI ($api) that apache2-bin provides" \
    sh -c '[ -n "$1" ] && printf "%s\n" "$2" | grep -qw -- "$1"' _ "$api" "$provided"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$WORK/contents"
expected=(/usr/lib/apache2/modules/mod_cookieconsent.so /etc/apache2/mods-available/cookieconsent.load
          /etc/apache2/mods-available/cookieconsent.conf $DOC/copyright)
for f in conf/examples/*.conf; do expected+=("$DOC/examples/${f##*/}"); done
[ -f conf/schema.sql ] && expected+=("$DOC/schema.sql")
for f in "${expected[@]}"; do
    check "the package holds $f" grep -qx -- "$f" "$WORK/contents"
done

# ---------------------------------------------------------------------------- install
if apt-get install -y -q "./$deb" > "$WORK/install.log" 2>&1; then
    ok "apt-get install ./$deb"
else
    cat "$WORK/install.log"; fail "apt-get install ./$deb"
    summary; exit 1
fi
check "a2enmod cookieconsent" a2enmod -q cookieconsent
check "a2query: cookieconsent is enabled" a2query -q -m cookieconsent

a2query -q -m headers || { headers_was_enabled=0; a2enmod -q headers >/dev/null; }

# The packaged example vhost, pointed at a test document root; mod_headers adds a necessary and a
# statistical cookie to every response (the "application").
mkdir -p "$DOCROOT"
cat > "$DOCROOT/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>test-deb</title></head>
<body><h1>System Apache</h1><p>mod_cookieconsent from the Debian package.</p></body></html>
EOF
sed -e "s|^\(\s*DocumentRoot\s\).*|\1$DOCROOT|" \
    -e 's|^</VirtualHost>|    # test-deb.sh: the application sets a necessary and a statistical cookie\
    Header always add Set-Cookie "sessionid=s1; Path=/; HttpOnly"\
    Header always add Set-Cookie "_pk_id.1.ab=1; Path=/"\
</VirtualHost>|' "$DOC/examples/outscale.conf" > "$SITE_FILE"
check "the site file has the test document root and the Set-Cookie headers" \
    sh -c 'grep -q "DocumentRoot $1\$" "$2" && grep -c "Header always add Set-Cookie" "$2" | grep -qx 2' \
    _ "$DOCROOT" "$SITE_FILE"
check "a2ensite $SITE" a2ensite -q $SITE
if apache2ctl configtest > "$WORK/configtest.log" 2>&1; then
    ok "apache2ctl configtest with the example vhost"
else
    cat "$WORK/configtest.log"; fail "apache2ctl configtest with the example vhost"
fi
check "apache2ctl -M lists cookieconsent_module" sh -c 'apache2ctl -M 2>/dev/null | grep -q cookieconsent_module'

# ---------------------------------------------------------------------------- serve
stop_apache   # a maintainer script may have (re)started it where services run (systemd)
if start_apache; then
    ok "apache2ctl start: the system Apache answers on port 80"
else
    tail -20 /var/log/apache2/error.log 2>/dev/null
    fail "apache2ctl start: the system Apache answers on port 80"
    summary; exit 1
fi

# get NAME [curl options...]: headers in $WORK/NAME.h, body in $WORK/NAME.b
get() {
    local name=$1; shift
    curl -s --max-time 10 -D "$WORK/$name.h" -o "$WORK/$name.b" "$@"
}
has_header() { tr -d '\r' < "$WORK/$1.h" | grep -qiE "$2"; }
has_body()   { grep -qF -- "$2" "$WORK/$1.b"; }
status_is()  { head -1 "$WORK/$1.h" | grep -q " $2 "; }

get undecided "$URL/"
check "undecided visitor: 200" status_is undecided 200
check "undecided visitor: the page is served" has_body undecided "<h1>System Apache</h1>"
check "undecided visitor: the banner is injected" has_body undecided '<div id="cc-banner"'
check "undecided visitor: the banner has Accept all / Reject all" \
    sh -c 'grep -qF "value=\"accept-all\"" "$1" && grep -qF "value=\"reject-all\"" "$1"' _ "$WORK/undecided.b"
check "undecided visitor: the banner names the example's categories" \
    sh -c 'grep -qF "Necessary cookies" "$1" && grep -qF "Statistical cookies" "$1"' _ "$WORK/undecided.b"
check "undecided visitor: the necessary Set-Cookie (sessionid) is kept" \
    has_header undecided '^set-cookie: sessionid=s1;'
check "undecided visitor: the refused Set-Cookie (_pk_id.1.ab) is removed" \
    not has_header undecided '^set-cookie: _pk_id'

get held "$URL/" -H "Cookie: _pk_id.1.ab=1; sessionid=s1"
# (host-only here: the row's Domain, marketplace.outscale.com, is not a suffix of localhost)
check "a refused cookie the browser holds is expired" \
    has_header held '^set-cookie: _pk_id\.1\.ab=; Max-Age=0;'

get french "$URL/?lang=fr"
check "?lang=fr: the banner is in French" has_body french "Cookies statistiques"

curl -s --max-time 10 -D "$WORK/consent.h" -o /dev/null -X POST \
    --data 'action=accept-all&return=/' "$URL/cookieconsent/consent"
check "POST /cookieconsent/consent accept-all: 303" status_is consent 303
consent=$(tr -d '\r' < "$WORK/consent.h" | sed -n 's/^[Ss]et-[Cc]ookie: cookieconsent=\([^;]*\).*/\1/p')
check "POST /cookieconsent/consent sets the consent cookie" [ -n "$consent" ]

get accepted "$URL/" -H "Cookie: cookieconsent=$consent"
check "after accept all: the statistical Set-Cookie goes through" \
    has_header accepted '^set-cookie: _pk_id\.1\.ab=1;'
check "after accept all: no first-layer banner" not has_body accepted '<div id="cc-banner"'
check "after accept all: the privacy settings button instead" has_body accepted 'class="cc-manage__btn"'

get policy "$URL/cookieconsent/policy"
check "GET /cookieconsent/policy: 200 with the example's rows" \
    sh -c 'head -1 "$1.h" | grep -q " 200 " && grep -qF "Piwik Analytics" "$1.b" && grep -qF "_pk_id" "$1.b"' \
    _ "$WORK/policy"

check "apache2ctl stop" stop_apache

# The example sets no CookieConsentSecretFile: the module generated a key under the ServerRoot.
KEY=/etc/apache2/cookieconsent/secret
check "the generated key is $KEY, root's, mode 0600" \
    sh -c '[ "$(stat -c %U:%a "$1")" = root:600 ]' _ "$KEY"

# ---------------------------------------------------------------------------- remove
check "a2dissite $SITE" a2dissite -q $SITE
if apt-get remove -y -q $PKG > "$WORK/remove.log" 2>&1; then
    ok "apt-get remove $PKG"
else
    cat "$WORK/remove.log"; fail "apt-get remove $PKG"
fi
check "the module is gone" [ ! -e /usr/lib/apache2/modules/mod_cookieconsent.so ]
check "the package's prerm disabled the module" [ ! -e /etc/apache2/mods-enabled/cookieconsent.load ]
if apache2ctl configtest > "$WORK/configtest2.log" 2>&1; then
    ok "after remove: apache2ctl configtest"
else
    cat "$WORK/configtest2.log"; fail "after remove: apache2ctl configtest"
fi
if start_apache; then
    ok "after remove: the system Apache starts and answers"
else
    tail -20 /var/log/apache2/error.log 2>/dev/null
    fail "after remove: the system Apache starts and answers"
fi
check "after remove: cookieconsent_module is not loaded" \
    sh -c '! apache2ctl -M 2>/dev/null | grep -q cookieconsent_module'
check "after remove: apache2ctl stop" stop_apache
check "after remove: the generated key is kept (a reinstall honours the visitors' cookies)" \
    [ -s "$KEY" ]

# ---------------------------------------------------------------------------- purge
if apt-get purge -y -q $PKG > "$WORK/purge.log" 2>&1; then
    ok "apt-get purge $PKG"
else
    cat "$WORK/purge.log"; fail "apt-get purge $PKG"
fi
check "after purge: the generated key and its directory are gone" \
    sh -c '[ ! -e "$1" ] && [ ! -e "${1%/*}" ]' _ "$KEY"
check "after purge: the files of mods-available are gone" \
    sh -c '[ ! -e /etc/apache2/mods-available/cookieconsent.load ] && [ ! -e /etc/apache2/mods-available/cookieconsent.conf ]'

summary
[ "$failed" -eq 0 ]

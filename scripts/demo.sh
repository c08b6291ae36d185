#!/usr/bin/env bash
# Runs a private Apache httpd with mod_cookieconsent and the example cookie policy
# (conf/examples/outscale.conf) on http://127.0.0.1:8080/, serving demo/, and a stand-in for the
# third-party vendors of demo/vendors.html (Matomo, Google tag, Zendesk, YouTube) on
# http://localhost:8081/ (demo/tracker/), which logs every request it gets to tracker-access.log.
#
#   bash scripts/demo.sh          install what is missing, build, (re)start the demo
#   bash scripts/demo.sh stop     stop it
#   bash scripts/demo.sh status   tell whether it runs
#
# Meant for root on Debian 12; safe to run again (it stops the previous instance first).
# Environment:
#   PORT=8080                        port to listen on
#   ADDR=127.0.0.1                   address to listen on
#   TRACKER_PORT=PORT+1              port of the stand-in tracker (same address)
#   TRACKER_HOST=localhost           host name of the tracker in the pages (ADDR unless ADDR is
#                                    127.0.0.1): another host than the site's, as a vendor's is
#   DEMO_DIR=/tmp/cookieconsent-demo run directory: generated config, docroot copy, logs, pid file
#   DEMO_LOGLEVEL="notice cookieconsent:trace2"
#   DEMO_WITHOUT_MODULE=1            do not build or load the module (checks the rest of the demo)
#   DEMO_RECORDS=sqlite              consent records (issue 10): sqlite (default: SQLite through
#                                    mod_dbd, in DEMO_DIR/records/consent.db), file (JSON lines in
#                                    DEMO_DIR/logs/consent.jsonl) or off

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${PORT:-8080}
ADDR=${ADDR:-127.0.0.1}
RUN=$(realpath -m "${DEMO_DIR:-/tmp/cookieconsent-demo}")
LOGLEVEL=${DEMO_LOGLEVEL:-notice cookieconsent:trace2}
WITHOUT_MODULE=${DEMO_WITHOUT_MODULE:-0}
RECORDS=${DEMO_RECORDS:-sqlite}
RECORDS_DB=$RUN/records/consent.db
TRACKER_PORT=${TRACKER_PORT:-$((PORT + 1))}
if [ "$ADDR" = 127.0.0.1 ]; then TRACKER_HOST=${TRACKER_HOST:-localhost}; else TRACKER_HOST=${TRACKER_HOST:-$ADDR}; fi
TRACKER=http://$TRACKER_HOST:$TRACKER_PORT

HTTPD=/usr/sbin/apache2
CONF=$RUN/conf/httpd.conf
PIDFILE=$RUN/run/httpd.pid
MODULE_SO=$REPO/.libs/mod_cookieconsent.so

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }

running_pid() {
    local pid
    [ -f "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    printf '%s\n' "$pid"
}

port_open() {
    # bash's /dev/tcp: no curl needed on a fresh system.
    (exec 3<>"/dev/tcp/$ADDR/${1:-$PORT}") 2>/dev/null
}

stop_demo() {
    local pid _
    if ! pid=$(running_pid); then
        [ "${1:-}" = quiet ] || say "not running"
        return 0
    fi
    say "stopping the demo (pid $pid)"
    if [ -f "$CONF" ]; then
        "$HTTPD" -f "$CONF" -k stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    else
        kill -TERM "$pid" 2>/dev/null || true
    fi
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        die "pid $pid did not stop within 10 s"
    fi
    rm -f "$PIDFILE"
}

# install-deps.sh checks what is installed first: on a prepared machine it returns at once.
install_deps() {
    bash "$REPO/scripts/install-deps.sh"
}

build_module() {
    say "building the module (make -f Makefile.apxs)"
    make --no-print-directory -C "$REPO" -f Makefile.apxs
    [ -f "$MODULE_SO" ] || die "the build did not produce $MODULE_SO"
}

# The example virtual host, pointed at the demo: port, DocumentRoot, ScriptAlias; with the
# demo-only rows of demo-vendors.conf added before its end.
write_vhost() {
    local out=$1
    sed -e "s|<VirtualHost \*:80>|<VirtualHost *:$PORT>|" \
        -e "s|^\( *DocumentRoot \).*|\1\"$RUN/htdocs\"|" \
        -e "s|^\( *ScriptAlias /cgi-bin/ \).*|\1\"$RUN/htdocs/cgi-bin/\"|" \
        "$REPO/conf/examples/outscale.conf" > "$out.tmp"
    sed -e '/^#/d' -e "s|@TRACKER@|$TRACKER|g" "$REPO/conf/examples/demo-vendors.conf" > "$out.rows"
    awk -v rows="$out.rows" '
        /^<\/VirtualHost>/ {
            print "    # ------------------------------------------ added by scripts/demo.sh"
            print "    # demo only (conf/examples/demo-vendors.conf): vendors of demo/vendors.html"
            print "    # that the policy does not have"
            while ((getline line < rows) > 0) print line
        }
        { print }' "$out.tmp" > "$out"
    rm -f "$out.tmp" "$out.rows"
    if [ "$WITHOUT_MODULE" = 1 ]; then
        # Drop every CookieConsent directive and block: Apache rejects them without the module.
        sed -i -e '/^ *<CookieConsent/,/^ *<\/CookieConsent/d' -e '/^ *CookieConsent/d' "$out"
    fi
}

# Consent records: SQLite through mod_dbd by default (the database file and its journal are
# written by the User, so the directory is www-data's), the export open to this machine only.
records_lines() {
    [ "$WITHOUT_MODULE" = 1 ] && return 0
    case "$RECORDS" in
    sqlite)
        mkdir -p "$RUN/records"
        if [ "$(id -u)" -eq 0 ]; then chown www-data:www-data "$RUN/records"; fi
        chmod 0750 "$RUN/records"
        printf 'DBDriver sqlite3\nDBDParams "%s"\nCookieConsentRecords dbd\n' "$RECORDS_DB"
        ;;
    file) printf 'CookieConsentRecords file:%s\n' "$RUN/logs/consent.jsonl" ;;
    off) return 0 ;;
    *) die "DEMO_RECORDS=$RECORDS: use sqlite, file or off" ;;
    esac
    # The DPO's export: open to this machine only (README, "Consent records").
    printf '<Location /cookieconsent/records>\n    SetHandler cookieconsent-records\n    Require local\n</Location>\n'
}

# The discovery report (issue 11) and mod_status' section: open to this machine only.
discovery_lines() {
    [ "$WITHOUT_MODULE" = 1 ] && return 0
    printf '<Location /cookieconsent/discovered>\n    SetHandler cookieconsent-discovered\n    Require local\n</Location>\n'
    printf '<Location /server-status>\n    SetHandler server-status\n    CookieConsent Off\n    Require local\n</Location>\n'
}

records_where() {
    [ "$WITHOUT_MODULE" = 1 ] && return 0
    case "$RECORDS" in
    sqlite) printf '  records: SQLite %s\n           sqlite3 %s "SELECT * FROM cookieconsent_records"\n' "$RECORDS_DB" "$RECORDS_DB" ;;
    file) printf '  records: %s\n' "$RUN/logs/consent.jsonl" ;;
    esac
    [ "$RECORDS" = off ] || printf '  export:  http://%s:%s/cookieconsent/records?from=2024-01-01\n' "$ADDR" "$PORT"
}

# The server's frame is conf/dev/server.conf.in (scripts/server-conf.sh); the heredoc is the
# demo's own part.
write_config() {
    local modules="mpm_event authz_core mime dir alias headers cgid env setenvif include authz_host"
    if [ "$WITHOUT_MODULE" != 1 ]; then
        modules+=" cookieconsent=$MODULE_SO"
        [ "$RECORDS" = sqlite ] && modules+=" dbd"
        modules+=" status"
    else
        LOGLEVEL=${LOGLEVEL%% cookieconsent:*}
    fi
    mkdir -p "$RUN/conf" "$RUN/run" "$RUN/logs"
    write_vhost "$RUN/conf/outscale.conf"

    bash "$REPO/scripts/server-conf.sh" GENERATOR=scripts/demo.sh ROOT="$RUN" \
        LISTEN="$ADDR:$PORT
$ADDR:$TRACKER_PORT" SERVERNAME=localhost LOGLEVEL="$LOGLEVEL" MODULES="$modules" \
        PROCESSES="StartServers 1
MinSpareThreads 5
MaxSpareThreads 50
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50" \
        ACCESSLOG=consent DOCROOT="$RUN/htdocs" DOCROOT_OPTIONS=+Includes BODY@- \
        > "$CONF" <<EOF
# Rewritten on every start.
$(records_lines)
$(discovery_lines)

AddDefaultCharset utf-8
AddType text/html .shtml
AddOutputFilter INCLUDES .shtml

# Who chose what, for every request (see README, "Environment variables").
LogFormat "%h %t \"%r\" %>s consent=%{COOKIECONSENT_SOURCE}e cats=\"%{COOKIECONSENT_CATEGORIES}e\" id=%{COOKIECONSENT_ID}e" consent

<Directory "$RUN/htdocs/cgi-bin">
    Options +ExecCGI
</Directory>

Include "$RUN/conf/outscale.conf"

# The stand-in for the vendors of /vendors.html (demo/tracker/). No CookieConsent here: it is
# somebody else's server. Its log shows what leaves the browser: Cookie and Referer headers.
<VirtualHost *:$TRACKER_PORT>
    ServerName $TRACKER_HOST
    DocumentRoot "$RUN/tracker"
    LogFormat "%h %t \"%r\" %>s %B cookie=\"%{Cookie}i\" referer=\"%{Referer}i\"" tracker
    CustomLog "$RUN/logs/tracker-access.log" tracker
    Header always set Cache-Control "no-store"
    # www.youtube.com/embed/VIDEO: one page for every video.
    AliasMatch "^/embed/[^/]+\$" "$RUN/tracker/embed.html"
    <Directory "$RUN/tracker">
        Require all granted
    </Directory>
    <Files "matomo.php">
        ForceType image/gif
    </Files>
    <Files "collect">
        ForceType image/gif
    </Files>
    <Files "js">
        ForceType "text/javascript; charset=utf-8"
    </Files>
</VirtualHost>
EOF
}

# The docroot is a copy: the repository may live where www-data cannot read (/root).
# The tracker's files are copied apart (demo/tracker/ is not part of the site); the pages get
# the tracker's origin in place of @TRACKER@.
copy_docroot() {
    rm -rf "$RUN/htdocs" "$RUN/tracker"
    cp -R "$REPO/demo" "$RUN/htdocs"
    mv "$RUN/htdocs/tracker" "$RUN/tracker"
    sed -i "s|@TRACKER@|$TRACKER|g" "$RUN/htdocs"/*.html
    # matomo.php and /g/collect answer with a transparent 1x1 GIF.
    mkdir -p "$RUN/tracker/g"
    printf 'GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b' \
        > "$RUN/tracker/matomo.php"
    cp "$RUN/tracker/matomo.php" "$RUN/tracker/g/collect"
    chmod -R a+rX "$RUN/htdocs" "$RUN/tracker"
    chmod a+rx "$RUN/htdocs/cgi-bin/app.cgi"
    chmod a+rx "$RUN"
}

wait_for_port() {
    local _
    for _ in $(seq 1 100); do
        port_open "$1" && return 0
        sleep 0.1
    done
    return 1
}

start_demo() {
    install_deps
    if [ "$WITHOUT_MODULE" = 1 ]; then
        say "DEMO_WITHOUT_MODULE=1: running without mod_cookieconsent"
    else
        build_module
    fi
    stop_demo quiet
    if port_open; then
        die "$ADDR:$PORT is already in use by another program; set PORT=... to use another port"
    fi
    if port_open "$TRACKER_PORT"; then
        die "$ADDR:$TRACKER_PORT (the tracker) is already in use by another program; set TRACKER_PORT=... to use another port"
    fi
    mkdir -p "$RUN"
    copy_docroot
    write_config
    if ! out=$("$HTTPD" -f "$CONF" -t 2>&1); then
        printf '%s\n' "$out" >&2
        die "configuration test failed: $CONF"
    fi
    # Startup messages (the module's debug lines among them) go to stderr before ErrorLog is open.
    if ! "$HTTPD" -f "$CONF" -k start >"$RUN/logs/startup.log" 2>&1; then
        cat "$RUN/logs/startup.log" >&2
        die "Apache did not start (config: $CONF)"
    fi
    if ! wait_for_port "$PORT" || ! wait_for_port "$TRACKER_PORT"; then
        tail -n 20 "$RUN/logs/error.log" >&2 || true
        die "Apache did not start listening on $ADDR:$PORT and $ADDR:$TRACKER_PORT (log: $RUN/logs/error.log)"
    fi
    cat <<EOF

  mod_cookieconsent demo: http://$ADDR:$PORT/
    application (CGI):  http://$ADDR:$PORT/cgi-bin/app.cgi
    third-party page:   http://$ADDR:$PORT/vendors.html
    consent state:      http://$ADDR:$PORT/cookieconsent/state
    consent receipt:    http://$ADDR:$PORT/cookieconsent/receipt
    discovery report:   http://$ADDR:$PORT/cookieconsent/discovered
    server status:      http://$ADDR:$PORT/server-status
  stand-in tracker:     $TRACKER/
$(records_where)
  config:  $CONF
  logs:    $RUN/logs/error.log, $RUN/logs/access.log, $RUN/logs/tracker-access.log
  stop:    bash scripts/demo.sh stop

EOF
}

case "${1:-start}" in
start|restart) start_demo ;;
stop) stop_demo ;;
status)
    if pid=$(running_pid); then say "running (pid $pid) on http://$ADDR:$PORT/, tracker on $TRACKER/"; else say "not running"; exit 3; fi
    ;;
-h|--help|help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown command \"$1\" (start, stop, status)" ;;
esac

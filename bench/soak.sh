#!/usr/bin/env bash
# Soak test: SOAK_SECONDS (default 300) of mixed traffic from wrk (bench/soak.lua: undecided,
# accepted, rejected and GPC visitors; HTML, CSS, cookies, errors, the endpoint) against Apache
# with the module, recording the httpd children's RSS at the start and at the end.
#   bash bench/soak.sh                   5 minutes
#   SOAK_SECONDS=30 bash bench/soak.sh   the short version
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
SECS=${SOAK_SECONDS:-300}
work=$(mktemp -d /tmp/cc-soak.XXXXXX)
chmod 755 "$work"
port=${SOAK_PORT:-18301}
make -C "$repo" -f Makefile.apxs >/dev/null

mkdir -p "$work/htdocs"
printf '<!DOCTYPE html><html><head><title>soak</title></head><body><p>%s</p></body></html>\n' \
    "$(head -c 8000 /dev/zero | tr '\0' 'a')" > "$work/htdocs/page.html"
head -c 10000 /dev/zero | tr '\0' 'c' > "$work/htdocs/style.css"
echo hello > "$work/htdocs/cookies.txt"
chmod -R a+rX "$work"
mkdir -p "$work/run" "$work/logs"
# The frame is conf/dev/server.conf.in (scripts/server-conf.sh); the heredoc is the soak's own.
bash "$repo/scripts/server-conf.sh" GENERATOR=bench/soak.sh ROOT="$work" LISTEN="127.0.0.1:$port" \
    MODULES="mpm_event authz_core mime headers cookieconsent=$repo/.libs/mod_cookieconsent.so" \
    DOCROOT="$work/htdocs" BODY@- PROCESSES="StartServers 2
ThreadsPerChild 25
MaxRequestWorkers 150
MaxConnectionsPerChild 0" > "$work/httpd.conf" <<CONF
EnableMMAP Off
EnableSendfile On
<Location /cookies.txt>
    Header always add Set-Cookie "csrftoken=abc; Path=/"
    Header always add Set-Cookie "_pk_id.1.ab=v; Path=/"
    Header always add Set-Cookie "tracker=1; Path=/"
</Location>
CookieConsent On
CookieConsentLanguages en fr
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
    Title fr "Statistiques"
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names csrftoken sessionid
</CookieConsentCookie>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id* _pk_ses*
    Retention 25mo
</CookieConsentCookie>
CONF
/usr/sbin/apache2 -f "$work/httpd.conf" -k start
cleanup() {
    /usr/sbin/apache2 -f "$work/httpd.conf" -k stop 2>/dev/null || true
    sleep 1
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/page.html" && break; sleep 0.1; done

consent() {
    curl -s -o /dev/null -D - -X POST -d "action=$1" "http://127.0.0.1:$port/cookieconsent/consent" \
        | sed -n 's/^Set-Cookie: \(cookieconsent=[^;]*\).*/\1/p'
}
CC_ACCEPTED=$(consent accept-all)
CC_REJECTED=$(consent reject-all)
export CC_ACCEPTED CC_REJECTED

rss() {  # total RSS (kB) of the httpd children
    local total=0 pid
    for pid in $(pgrep -P "$(cat "$work/run/httpd.pid")"); do
        total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
# Warm up, so every child has served every kind of request before the first reading.
wrk -t2 -c16 -d5s -s "$here/soak.lua" "http://127.0.0.1:$port" > /dev/null
rss0=$(rss)
wrk -t2 -c32 -d"${SECS}s" --timeout 5s -s "$here/soak.lua" "http://127.0.0.1:$port" \
    | tee "$work/wrk.out"
rss1=$(rss)
non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$work/wrk.out")
crashes=$(grep -c -E "segfault|exit signal|AH00052" "$work/logs/error.log" || true)
echo "soak: ${SECS}s, children RSS ${rss0} kB at the start, ${rss1} kB at the end"
echo "soak: non-2xx/3xx answers: ${non2xx:-0}; crashed children: $crashes"
[ "$crashes" -eq 0 ] && [ "${non2xx:-0}" -eq 0 ]

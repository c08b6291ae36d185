#!/usr/bin/env bash
# CPU per request, noise-free: instructions counted by callgrind for `apache2 -X` (mpm_prefork,
# MaxConnectionsPerChild 1, EnableMMAP Off, EnableSendfile On) serving N keep-alive requests on one
# connection; the figure for one request is (I(220) - I(20)) / 200, so start-up cancels out.
#   bash bench/cpu.sh                    the table, printed and written to bench/cpu-results.md
#   CC_SO_BEFORE=/path/old.so bash bench/cpu.sh    also a column for another build of the module
# The visitor holds sessionid, csrftoken and _pk_id.1.abcd (refused); "decided" adds a consent
# cookie that accepts nothing optional.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
SO=${CC_SO:-$repo/.libs/mod_cookieconsent.so}
BEFORE=${CC_SO_BEFORE:-}
N1=${N1:-20}
N2=${N2:-220}
out=${CPU_RESULTS:-$here/cpu-results.md}
for tool in valgrind curl; do
    command -v "$tool" >/dev/null || { echo "cpu: $tool is missing" >&2; exit 1; }
done
[ -f "$SO" ] || make -C "$repo" -f Makefile.apxs >/dev/null
work=$(mktemp -d /tmp/cc-cpu.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/htdocs/cookies"
. "$here/pages.sh"
bench_pages "$work/htdocs"
head -c 10240 /dev/zero | tr '\0' 'x' > "$work/htdocs/cookies/index.txt"
# A 30 KB page with the vendors' snippets (issue 8): Matomo with its pixel, gtag, a chat widget,
# a video embed.
vendors='<script>
  var _paq = window._paq = window._paq || [];
  _paq.push(["trackPageView"]); _paq.push(["enableLinkTracking"]);
  (function() { var u="//tracker.example/"; _paq.push(["setTrackerUrl", u+"matomo.php"]);
    var d=document, g=d.createElement("script"), s=d.getElementsByTagName("script")[0];
    g.async=true; g.src=u+"matomo.js"; s.parentNode.insertBefore(g,s); })();
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}
gtag("js", new Date()); gtag("config", "G-X");</script>'
body='<noscript><p><img src="//tracker.example/matomo.php?idsite=1&amp;rec=1" style="border:0" alt=""></p></noscript>
<iframe width="560" height="315" src="https://video.example/embed/xyz" title="video"></iframe>
<script id="ze-snippet" src="https://static.chat.example/ekr/snippet.js?key=abc"></script>
'
page30="<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vendors</title>
$vendors
</head><body class=\"page\">
"
while [ "${#page30}" -lt 30000 ]; do
    page30+='<p>Lorem ipsum dolor sit amet, <a href="/x">consectetur</a> adipiscing elit.</p>
'
done
printf '%s%s</body></html>\n' "$page30" "$body" > "$work/htdocs/vendors.html"
chmod -R a+rX "$work"
(umask 077; openssl rand -hex 32 > "$work/secret")

port=$((20000 + RANDOM % 20000))

# The frame is conf/dev/server.conf.in (scripts/server-conf.sh); body() has the bench's own lines.
# $1: none | module | substitute | edit ; $2: module path (for "module"); $3: gate
# (CONF_ROOT, CONF_LISTEN, CONF_MPM and CONF_PROCESSES: the wrk variant's, below)
PREFORK="StartServers 1
MinSpareServers 1
MaxSpareServers 1
MaxConnectionsPerChild 1"
mkdir -p "$work/run" "$work/logs"
conf() {
    local mods="${CONF_MPM:-mpm_prefork} authz_core mime headers filter substitute"
    [ "$1" = module ] && mods+=" cookieconsent=$2"
    body "$@" | bash "$repo/scripts/server-conf.sh" GENERATOR=bench/cpu.sh \
        ROOT="${CONF_ROOT:-$work}" LISTEN="127.0.0.1:${CONF_LISTEN:-$port}" MODULES="$mods" \
        PROCESSES="${CONF_PROCESSES:-$PREFORK}" DOCROOT="$work/htdocs" BODY@-
}
body() {
    cat <<EOF
MaxKeepAliveRequests 0
EnableMMAP Off
EnableSendfile On
<Directory "$work/htdocs/cookies">
    Header always add Set-Cookie "csrftoken=a; Path=/"
    Header always add Set-Cookie "sessionid=b; Path=/; HttpOnly"
    Header always add Set-Cookie "_pk_id.1.abcd=c; Path=/; Max-Age=100"
</Directory>
EOF
    case $1 in
    module)
        cat <<EOF
CookieConsent On
<IfDirective CookieConsentSecretFile>
    # one key for every run, so that no run pays for generating it
    CookieConsentSecretFile "$work/secret"
</IfDirective>
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
    Description "Needed."
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
    Description "Visits."
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names csrftoken sessionid
    Retention session
    Purpose "Session."
</CookieConsentCookie>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id* _pk_ses*
    Retention 13mo
    Purpose "Counts visits."
EOF
        if [ "${3:-}" = gate ]; then
            cat <<EOF
    Block "*/matomo.js" "*/matomo.php*"
    BlockInline "_paq"
</CookieConsentCookie>
<CookieConsentCookie "Google Analytics">
    Category statistical
    Names _ga _ga_*
    Block "https://www.googletagmanager.com/gtag/js*"
    BlockInline "gtag(\"config\""
    Purpose "Audience."
</CookieConsentCookie>
<CookieConsentCookie "Chat and video">
    Category statistical
    Names _zlcmid VISITOR_INFO1_LIVE
    Block "*/ekr/snippet.js*" "https://video.example/embed/*"
    Purpose "Chat and videos."
</CookieConsentCookie>
EOF
        else
            echo "</CookieConsentCookie>"
        fi
        ;;
    substitute)
        snippet=$(head -c 1500 /dev/zero | tr '\0' 'x')
        cat <<EOF
<Location />
    AddOutputFilterByType SUBSTITUTE text/html
    Substitute "s|<body class=\"page\">|<body class=\"page\">$snippet|n"
</Location>
EOF
        ;;
    floor)
        printf '%s\n' "$FLOOR_BODY"
        ;;
    edit)
        cat <<EOF
<Directory "$work/htdocs/cookies">
    Header always edit* Set-Cookie "^_pk_id[^;]*;.*\$" "deleted=1"
</Directory>
EOF
        ;;
    esac
}

# instructions for N requests of path with the cookie header
count() {  # $1 variant $2 module $3 path $4 cookie $5 N
    local d="$work/cg.$RANDOM" urls=() i
    mkdir -p "$d"; chmod 777 "$d"
    case $1 in
        module-gate) conf module "$2" gate > "$work/httpd.conf" ;;
        *) conf "$1" "$2" > "$work/httpd.conf" ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$d/out.%p" /usr/sbin/apache2 -X \
        -f "$work/httpd.conf" > "$d/valgrind.log" 2>&1 &
    local vg=$!
    # ready when it listens (a probe connection would be the child's only one)
    for i in $(seq 1 300); do
        sleep 0.1
        chmod 666 "$d"/out.* 2>/dev/null || true
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
    done
    sleep 0.2
    chmod 666 "$d"/out.* 2>/dev/null || true
    for i in $(seq 1 "$5"); do urls+=("-o" "/dev/null" "http://127.0.0.1:$port$3"); done
    curl -s --max-time 120 -H "Cookie: $4" "${urls[@]}" >/dev/null || true
    wait "$vg" 2>/dev/null || true
    local best=0 f n
    for f in "$d"/out.*; do
        n=$(awk '/^summary:/ {print $2}' "$f")
        [ -n "$n" ] && [ "$n" -gt "$best" ] && best=$n
    done
    echo "$best"
}

per_request() {  # same args without N
    local a b
    a=$(count "$1" "$2" "$3" "$4" "$N1")
    b=$(count "$1" "$2" "$3" "$4" "$N2")
    echo $(( (b - a) / (N2 - N1) ))
}

HELD="sessionid=s1; csrftoken=t1; _pk_id.1.abcd=p1"
DECIDED_VALUE=""
decided_cookie() {  # a consent value for the module build $1 ($2: the action, reject-all)
    conf module "$1" > "$work/httpd.conf"
    /usr/sbin/apache2 -f "$work/httpd.conf" -k start
    sleep 0.5
    local v
    v=$(curl -s -o /dev/null -D - -d "action=${2:-reject-all}" "http://127.0.0.1:$port/cookieconsent/consent" \
        | sed -n 's/^Set-Cookie: cookieconsent=\([^;]*\);.*/\1/p' | tr -d '\r')
    /usr/sbin/apache2 -f "$work/httpd.conf" -k stop
    sleep 1
    echo "$v"
}

# The floor of a row: plain Apache sending, from a file, the very bytes of the module's response
# with its Set-Cookie, Vary and validators (set by mod_headers): what httpd costs for that response
# whoever makes it. mod_headers' own work is taken out: the same number of Header directives that
# change nothing ("unset" of a header nobody sends), on a copy of the original file, is measured
# too, and floor = plain + (that response - the no-op one).
FLOOR_BODY=""
declare -A FLOOR0=()
mkdir -p "$work/htdocs/floor" "$work/htdocs/floor0"
floor_capture() {  # $1 module|module-gate $2 path $3 cookie $4 file name under /floor/
    local h="$work/floor.h" line name value n=0 noop="" f0 i
    case $1 in
        module-gate) conf module "$SO" gate > "$work/httpd.conf" ;;
        *) conf module "$SO" > "$work/httpd.conf" ;;
    esac
    /usr/sbin/apache2 -f "$work/httpd.conf" -k start
    sleep 0.5
    curl -s -D "$h" -o "$work/htdocs/floor/$4" -H "Cookie: $3" "http://127.0.0.1:$port$2"
    /usr/sbin/apache2 -f "$work/httpd.conf" -k stop
    sleep 1
    chmod a+r "$work/htdocs/floor/$4"
    FLOOR_BODY+="<Location \"/floor/$4\">"$'\n'
    while IFS= read -r line; do
        line=${line%$'\r'}
        name=${line%%:*}
        value=${line#*: }
        case ${name,,} in
            set-cookie)
                FLOOR_BODY+="    Header always add Set-Cookie \"$value\""$'\n'; n=$((n + 1)) ;;
            vary) FLOOR_BODY+="    Header always set Vary \"$value\""$'\n'; n=$((n + 1)) ;;
        esac
    done < "$h"
    if ! grep -qi '^Last-Modified:' "$h"; then
        FLOOR_BODY+="    Header unset Last-Modified"$'\n'; n=$((n + 1))
    fi
    if ! grep -qi '^ETag:' "$h"; then
        FLOOR_BODY+="    Header unset ETag"$'\n'; n=$((n + 1))
    fi
    FLOOR_BODY+="</Location>"$'\n'
    # The 3-cookie page's plain response already has mod_headers add its three Set-Cookie, as
    # the floor does: its twin is the page itself (in the floor's configuration, whose sections
    # cost the same to both). Else the no-op twin: the original file, as many Header
    # directives, none with an effect.
    case $2 in
        /cookies/*) FLOOR0[$4]=$2; return 0 ;;
    esac
    f0="/floor0/$4"
    cp "$work/htdocs$2" "$work/htdocs$f0"
    chmod a+r "$work/htdocs$f0"
    FLOOR0[$4]=$f0
    FLOOR_BODY+="<Location \"$f0\">"$'\n'
    for ((i = 0; i < n; i++)); do
        FLOOR_BODY+="    Header always unset X-Cc-Floor-None"$'\n'
    done
    FLOOR_BODY+="</Location>"$'\n'
}
floor_per_request() {  # $1 file name under /floor/ $2 cookie $3 plain's figure
    local a b
    a=$(per_request floor "" "/floor/$1" "$2")
    b=$(per_request floor "" "${FLOOR0[$1]}" "$2")
    echo $(( $3 + a - b ))
}

fmt() { awk -v n="$1" 'BEGIN { printf "%.1f k", n / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

rows=(
    "10 KB static HTML, undecided (banner)|/page.html|$HELD||page.html"
    "10 KB static HTML, decided (button)|/page.html|$HELD|decided|decided.html"
    "10 KB static CSS, same cookies|/style.css|$HELD||style.css"
    "static page with 3 Header always add Set-Cookie, 1 refused|/cookies/index.txt|$HELD||cookies.txt"
)
{
    echo "# CPU per request (callgrind)"
    echo
    echo "Measured by \`bash bench/cpu.sh\` on $(date -u +%Y-%m-%d), $(/usr/sbin/apache2 -v | head -1 | sed 's/Server version: //'),"
    echo "apache2 -X with mpm_prefork, EnableMMAP Off, EnableSendfile On: instructions per request ="
    echo "(I($N2 requests) - I($N1 requests)) / $((N2 - N1)) on one keep-alive connection. The visitor holds"
    echo "sessionid, csrftoken and _pk_id.1.abcd (refused); \"decided\" adds a reject-all consent cookie."
    echo "\"Floor\": plain Apache sending the module's response (its bytes from a file, its Set-Cookie,"
    echo "Vary and validators by mod_headers), less mod_headers' own work (the same directives doing"
    echo "nothing, measured in the same configuration; for the 3-cookie page, whose plain response has"
    echo "mod_headers add its cookies already, the page itself): what httpd costs for that response,"
    echo "whoever makes it."
    echo
    if [ -n "$BEFORE" ]; then
        echo "| workload | plain Apache | floor | module before | ratio | module now | ratio | now / floor |"
        echo "|---|---|---|---|---|---|---|---|"
    else
        echo "| workload | plain Apache | floor | with the module | ratio | module / floor |"
        echo "|---|---|---|---|---|---|"
    fi
} > "$out.tmp"
dec_now=$(decided_cookie "$SO")
dec_before=""
[ -n "$BEFORE" ] && dec_before=$(decided_cookie "$BEFORE")
for r in "${rows[@]}"; do
    IFS='|' read -r label path cookie kind fname <<< "$r"
    ck=$cookie
    [ "$kind" = decided ] && ck="$cookie; cookieconsent=$dec_now"
    floor_capture module "$path" "$ck" "$fname"
done
for r in "${rows[@]}"; do
    IFS='|' read -r label path cookie kind fname <<< "$r"
    base=$(per_request none "" "$path" "$cookie")
    flo=$(floor_per_request "$fname" "$cookie" "$base")
    ck=$cookie
    [ "$kind" = decided ] && ck="$cookie; cookieconsent=$dec_now"
    now=$(per_request module "$SO" "$path" "$ck")
    if [ -n "$BEFORE" ]; then
        ckb=$cookie
        [ "$kind" = decided ] && ckb="$cookie; cookieconsent=$dec_before"
        bef=$(per_request module "$BEFORE" "$path" "$ckb")
        echo "| $label | $(fmt "$base") | $(fmt "$flo") ($(ratio "$flo" "$base")) | $(fmt "$bef") | $(ratio "$bef" "$base") | $(fmt "$now") | $(ratio "$now" "$base") | $(ratio "$now" "$flo") |" >> "$out.tmp"
    else
        echo "| $label | $(fmt "$base") | $(fmt "$flo") ($(ratio "$flo" "$base")) | $(fmt "$now") | $(ratio "$now" "$base") | $(ratio "$now" "$flo") |" >> "$out.tmp"
    fi
done
{
    echo
    echo "Third-party elements held (issue 8): a 30 KB page with Matomo (inline snippet and"
    echo "pixel), gtag, a chat widget and a video embed; Block/BlockInline on their rows. Every"
    echo "request after the first of a child is served from that child's cache of the file's edits."
    echo
    echo "| workload | plain Apache | floor | with the module | ratio | module / floor |"
    echo "|---|---|---|---|---|---|"
} >> "$out.tmp"
acc=$(decided_cookie "$SO" accept-all)
floor_capture module-gate /vendors.html "$HELD" vendors-held.html
floor_capture module-gate /vendors.html "$HELD; cookieconsent=$acc" vendors-accepted.html
base30=$(per_request none "" /vendors.html "$HELD")
und30=$(per_request module-gate "$SO" /vendors.html "$HELD")
acc30=$(per_request module-gate "$SO" /vendors.html "$HELD; cookieconsent=$acc")
flo_und=$(floor_per_request vendors-held.html "$HELD" "$base30")
flo_acc=$(floor_per_request vendors-accepted.html "$HELD; cookieconsent=$acc" "$base30")
echo "| 30 KB page with vendor snippets, undecided (held) | $(fmt "$base30") | $(fmt "$flo_und") ($(ratio "$flo_und" "$base30")) | $(fmt "$und30") | $(ratio "$und30" "$base30") | $(ratio "$und30" "$flo_und") |" >> "$out.tmp"
echo "| 30 KB page with vendor snippets, accepted (as written) | $(fmt "$base30") | $(fmt "$flo_acc") ($(ratio "$flo_acc" "$base30")) | $(fmt "$acc30") | $(ratio "$acc30" "$base30") | $(ratio "$acc30" "$flo_acc") |" >> "$out.tmp"
sub=$(per_request substitute "" /page.html "$HELD")
base=$(per_request none "" /page.html "$HELD")
edit=$(per_request edit "" /cookies/index.txt "$HELD")
base3=$(per_request none "" /cookies/index.txt "$HELD")
{
    echo
    echo "| peer | plain Apache | with the peer | ratio |"
    echo "|---|---|---|---|"
    echo "| mod_substitute inserting 1.5 KB after \`<body>\` (10 KB HTML) | $(fmt "$base") | $(fmt "$sub") | $(ratio "$sub" "$base") |"
    echo "| \`Header always edit*\` rewriting the refused Set-Cookie | $(fmt "$base3") | $(fmt "$edit") | $(ratio "$edit" "$base3") |"
} >> "$out.tmp"
# wrk in the same run (noisy on a 2-core VM; the instruction counts above are the figure to
# quote): the 30 KB vendors page, plain Apache against the module holding its elements, in
# alternating pairs, Apache on CPU 0 and wrk on the last CPU.
if command -v wrk >/dev/null && [ "${WRK_PAIRS:-5}" -gt 0 ]; then
    wport=$((port + 1))
    wconf() {  # $1 none|module-gate: mpm_event, its own ROOT
        mkdir -p "$work/wrk/run" "$work/wrk/logs"
        local v=none
        [ "$1" = none ] || v=module
        CONF_ROOT=$work/wrk CONF_LISTEN=$wport CONF_MPM=mpm_event \
            CONF_PROCESSES=$'StartServers 1\nThreadsPerChild 25\nMaxRequestWorkers 25' \
            conf "$v" "$SO" gate
    }
    rps() {  # $1 variant, [$2 cookie]
        wconf "$1" > "$work/wrk.conf"
        taskset -c 0 /usr/sbin/apache2 -f "$work/wrk.conf" -k start
        for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$wport/vendors.html" && break; sleep 0.1; done
        local r
        r=$(taskset -c "$(($(nproc) - 1))" wrk -t1 -c16 -d3s -H "Cookie: ${2:-$HELD}" \
            "http://127.0.0.1:$wport/vendors.html" | awk '/Requests\/sec/ {print $2}')
        /usr/sbin/apache2 -f "$work/wrk.conf" -k stop
        sleep 1
        echo "$r"
    }
    ratios=()
    for i in $(seq 1 "${WRK_PAIRS:-5}"); do
        if [ $((i % 2)) = 1 ]; then a=$(rps none); b=$(rps module-gate); else b=$(rps module-gate); a=$(rps none); fi
        ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')")
    done
    med=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    {
        echo
        echo "wrk -t1 -c16 -d3s, the 30 KB vendors page, undecided visitor: module / plain Apache ="
        echo "$med (median of ${#ratios[@]} alternating pairs: ${ratios[*]})."
    } >> "$out.tmp"
fi
mv "$out.tmp" "$out"
cat "$out"

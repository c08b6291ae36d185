#!/usr/bin/env bash
# Benchmarks of mod_cookieconsent against plain Apache and mod_substitute, on loopback with wrk.
#   bash bench/run.sh                 all benchmarks, results in bench/results.md (or $RESULTS)
#   ROUNDS=3 DURATION=10 bash bench/run.sh
# Every Apache runs with EnableMMAP Off and EnableSendfile On. Variants are measured in turn,
# round after round, so a slow moment of the machine hits them all; the table shows medians.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ROUNDS=${ROUNDS:-7}
DURATION=${DURATION:-5}
THREADS=${THREADS:-1}
CONNS=${CONNS:-16}
# On a small machine the client and the server fight for the same cores; pinning them apart
# (Apache on SERVER_CPUS, wrk on CLIENT_CPUS) makes rounds repeatable.
ncpu=$(nproc)
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-$((ncpu > 1 ? ncpu - 1 : 0))}
STREAM_MB=${STREAM_MB:-1024}
SO="$repo/.libs/mod_cookieconsent.so"
work=$(mktemp -d /tmp/cc-bench.XXXXXX)
chmod 755 "$work"
results=${RESULTS:-$here/results.md}     # RESULTS=FILE: elsewhere (results.md has other sections)

for tool in wrk valgrind curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
make -C "$repo" -f Makefile.apxs >/dev/null

# ---------------------------------------------------------------------------------------------
# Content: a 10 KB HTML page, a 10 KB stylesheet, a text file that gets 3 cookies, a CGI stream.

mkdir -p "$work/htdocs" "$work/cgi"
. "$here/pages.sh"
bench_pages "$work/htdocs"
head -c 10240 /dev/zero | tr '\0' 'x' > "$work/htdocs/cookies.txt"
cat > "$work/cgi/stream.cgi" <<EOF
#!/bin/sh
printf 'Content-Type: text/html\r\n\r\n'
printf '<!DOCTYPE html><html><head><title>stream</title></head><body>'
head -c ${STREAM_MB}M /dev/zero | tr '\0' 'a'
printf '</body></html>'
EOF
cat > "$work/cgi/stream-nobody.cgi" <<EOF
#!/bin/sh
printf 'Content-Type: text/html\r\n\r\n'
head -c ${STREAM_MB}M /dev/zero | tr '\0' '<'
EOF
chmod 755 "$work/cgi/"*.cgi
chmod -R a+rX "$work"

# ---------------------------------------------------------------------------------------------
# Configurations

# The frame is conf/dev/server.conf.in (scripts/server-conf.sh), with ROOT $work/srv-NAME;
# common's lines and the ones on its stdin (BODY) are the bench's own.
common() {  # $1 name, $2 port, [$3 "module": load the module]; stdin: the variant's lines
    local mods="mpm_event authz_core mime headers alias cgid filter substitute"
    [ "${3:-}" = module ] && mods+=" cookieconsent=$SO"
    mkdir -p "$work/srv-$1/run" "$work/srv-$1/logs"
    { cat <<EOF
EnableMMAP Off
EnableSendfile On
MaxKeepAliveRequests 0
ScriptAlias /cgi/ "$work/cgi/"
<Directory "$work/cgi">
    Require all granted
</Directory>
<Location /cookies.txt>
    Header always add Set-Cookie "csrftoken=abc123; Path=/"
    Header always add Set-Cookie "sessionid=s3ss10n; Path=/; HttpOnly"
    Header always add Set-Cookie "_pk_id.1.abcd=v1; Path=/; Max-Age=3600"
</Location>
EOF
      cat; } | bash "$repo/scripts/server-conf.sh" GENERATOR=bench/run.sh ROOT="$work/srv-$1" \
        LISTEN="127.0.0.1:$2" MODULES="$mods" DOCROOT="$work/htdocs" BODY@- \
        PROCESSES="StartServers 2
ThreadsPerChild 25
MaxRequestWorkers 150"
}
errlog() { echo "$work/srv-$1/logs/error.log"; }

module_conf() {
    cat <<EOF
CookieConsent On
CookieConsentLanguages en fr
<CookieConsentCategory necessary>
    Required On
    Title "Necessary cookies"
    Description "These cookies are essential to the operation of the site and cannot be deactivated."
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistical cookies"
    Description "These cookies allow us to count visits and identify traffic sources."
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names csrftoken sessionid
    Retention 14d
    Purpose "Session and CSRF protection."
</CookieConsentCookie>
<CookieConsentCookie "Piwik Analytics">
    Category statistical
    Names _pk_id* _pk_ses*
    Retention 25mo
    Purpose "Anonymised visit statistics."
</CookieConsentCookie>
EOF
}

start() {  # $1 name
    taskset -c "$SERVER_CPUS" /usr/sbin/apache2 -f "$work/$1.conf" -k start
    for _ in $(seq 1 50); do
        curl -s -o /dev/null "http://127.0.0.1:$(port_of "$1")/page.html" && return 0
        sleep 0.1
    done
    echo "bench: $1 did not start" >&2
    cat "$(errlog "$1")" >&2
    exit 1
}

stop_all() {
    for c in "$work"/*.conf; do
        [ -f "$c" ] && /usr/sbin/apache2 -f "$c" -k stop 2>/dev/null || true
    done
    sleep 1
}
trap stop_all EXIT

declare -A PORT=([plain]=18201 [module]=18202 [substitute]=18203 [edit]=18204)
port_of() { echo "${PORT[$1]}"; }

common plain 18201 < /dev/null > "$work/plain.conf"
module_conf | common module 18202 module > "$work/module.conf"
common edit 18204 > "$work/edit.conf" <<'EOF'
<Location /cookies.txt>
    Header always edit* Set-Cookie "^(_pk_id[^=]*)=[^;]*(.*)$" "$1=; Max-Age=0$2"
</Location>
EOF

for s in plain module edit; do start "$s"; done

# The undecided snippet's size, so mod_substitute injects as many bytes.
plain_len=$(curl -s "http://127.0.0.1:18201/page.html" | wc -c)
module_len=$(curl -s "http://127.0.0.1:18202/page.html" | wc -c)
snippet_len=$((module_len - plain_len))
pad=$(head -c "$snippet_len" /dev/zero | tr '\0' 'x')
common substitute 18203 > "$work/substitute.conf" <<EOF
<Location /page.html>
    AddOutputFilterByType SUBSTITUTE text/html
    Substitute "s|<body class=\"page\">|<body class=\"page\">$pad|n"
</Location>
EOF
start substitute
sub_len=$(curl -s "http://127.0.0.1:18203/page.html" | wc -c)

consent=$(curl -s -o /dev/null -D - -X POST -d 'action=reject-all' \
    "http://127.0.0.1:18202/cookieconsent/consent" | sed -n 's/^Set-Cookie: \(cookieconsent=[^;]*\).*/\1/p')
decided_len=$(curl -s -H "Cookie: $consent" "http://127.0.0.1:18202/page.html" | wc -c)

# ---------------------------------------------------------------------------------------------
# Measurements

declare -A RPS RATIOS
LAST=0
run_wrk() {  # $1 key, $2 url, [$3 header]
    local out
    if [ -n "${3:-}" ]; then
        out=$(taskset -c "$CLIENT_CPUS" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "$3" "$2")
    else
        out=$(taskset -c "$CLIENT_CPUS" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$2")
    fi
    if echo "$out" | grep -q "Non-2xx"; then
        echo "bench: non-2xx answers for $1" >&2
        echo "$out" >&2
        exit 1
    fi
    LAST=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    RPS[$1]="${RPS[$1]:-} $LAST"
    printf '  %-22s %10s req/s\n' "$1" "$LAST"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# A against B in back-to-back pairs (the order alternating), so that the machine's slow and fast
# moments hit both sides of each ratio; the ratio reported is the median of the pairs' ratios.
pair() {  # $1 key A, $2 url A, $3 header A, $4 key B, $5 url B, $6 header B
    local round a b
    echo "$4 against $1"
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) -eq 1 ]; then
            run_wrk "$1" "$2" "$3"; a=$LAST
            run_wrk "$4" "$5" "$6"; b=$LAST
        else
            run_wrk "$4" "$5" "$6"; b=$LAST
            run_wrk "$1" "$2" "$3"; a=$LAST
        fi
        RATIOS["$4/$1"]="${RATIOS["$4/$1"]:-} $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.4f", b / a}')"
    done
}

P=http://127.0.0.1
pair html_plain "$P:18201/page.html" "" html_undecided "$P:18202/page.html" ""
pair html_plain "$P:18201/page.html" "" html_decided "$P:18202/page.html" "Cookie: $consent"
pair html_substitute "$P:18203/page.html" "" html_undecided "$P:18202/page.html" ""
pair css_plain "$P:18201/style.css" "" css_module "$P:18202/style.css" ""
pair cookies_plain "$P:18201/cookies.txt" "" cookies_module "$P:18202/cookies.txt" ""
pair cookies_plain "$P:18201/cookies.txt" "" cookies_edit "$P:18204/cookies.txt" ""

# Check that the variants do what they claim (outside the timed runs).
check_cookies_module=$(curl -s -D - -o /dev/null "http://127.0.0.1:18202/cookies.txt" | grep -c '^Set-Cookie' || true)
check_cookies_edit=$(curl -s -D - -o /dev/null "http://127.0.0.1:18204/cookies.txt" | grep -c 'Max-Age=0' || true)

declare -A MED
for k in "${!RPS[@]}"; do MED[$k]=$(echo "${RPS[$k]}" | median); done
ratio() { echo "${RATIOS["$1/$2"]}" | median | awk '{printf "%.3f", $1}'; }

stop_all

# 1 GB streamed through a CGI, Apache in one process (-X) so VmHWM is that process's peak.
stream() {  # $1 cgi
    local conf="$work/stream.conf" pid hwm0 hwm1 t0 t1 bytes
    module_conf | common stream 18205 module > "$conf"
    /usr/sbin/apache2 -f "$conf" -X &
    for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:18205/page.html" && break; sleep 0.1; done
    pid=$(cat "$work/srv-stream/run/httpd.pid")
    curl -s -o /dev/null "http://127.0.0.1:18205/page.html"
    hwm0=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    t0=$(date +%s.%N)
    bytes=$(curl -s "http://127.0.0.1:18205/cgi/$1" | wc -c)
    t1=$(date +%s.%N)
    hwm1=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    awk -v b="$bytes" -v t0="$t0" -v t1="$t1" -v h0="$hwm0" -v h1="$hwm1" \
        'BEGIN {printf "%d %.0f %d %d\n", b, b / (t1 - t0) / 1048576, h0, h1 - h0}'
}
read -r s1_bytes s1_mbps s1_hwm s1_growth < <(stream stream.cgi)
read -r s2_bytes s2_mbps s2_hwm s2_growth < <(stream stream-nobody.cgi)

# The matcher alone under callgrind: instructions per byte on a 10 MB page.
cc -O2 -I"$repo/include" -o "$work/matcher_bench" "$here/matcher_bench.c" "$repo/src/cc_matcher.c" \
    $(apr-1-config --cppflags --includes)
callgrind() {  # $1 late|early
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$1" "$work/matcher_bench" 10 "$1" \
        > "$work/cg.$1.out" 2>&1
    local ir bytes
    ir=$(callgrind_annotate "$work/cg.$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    fed=$(callgrind_annotate --inclusive=yes "$work/cg.$1" 2>/dev/null \
        | awk '/cc_matcher_feed/ {gsub(",", "", $1); print $1; exit}')
    bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$work/cg.$1.out")
    awk -v i="${fed:-0}" -v b="$bytes" -v t="$ir" 'BEGIN {printf "%d %d %d %.3f\n", b, t, i, i / b}'
}
read -r cg_late_bytes cg_late_total cg_late_ir cg_late_ipb < <(callgrind late)
read -r cg_early_bytes cg_early_total cg_early_ir cg_early_ipb < <(callgrind early)
read -r cg_text_bytes cg_text_total cg_text_ir cg_text_ipb < <(callgrind text)

# ---------------------------------------------------------------------------------------------
# Report

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
verdict() { awk -v r="$1" -v g="$2" 'BEGIN {print (r >= g) ? "met" : "**missed**"}'; }
{
    echo "# Benchmark results"
    echo
    echo "Measured by \`bash bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GB,"
    echo "$(/usr/sbin/apache2 -v | head -1 | sed 's/Server version: //'), mpm_event, EnableMMAP Off, EnableSendfile On."
    echo "wrk -t$THREADS -c$CONNS -d${DURATION}s on loopback, Apache pinned to CPU $SERVER_CPUS and wrk to CPU $CLIENT_CPUS."
    echo "Each comparison is $ROUNDS back-to-back pairs (order alternating); a ratio is the median of the"
    echo "pairs' ratios, req/s the median of all runs of that variant (this VM's throughput drifts by"
    echo "±20 % over minutes, which the pairing cancels and the absolute numbers do not)."
    echo
    echo "Response sizes: plain page $plain_len B, with banner $module_len B (snippet $snippet_len B),"
    echo "mod_substitute $sub_len B, decided visitor $decided_len B."
    echo
    echo "| Benchmark | Variant | req/s (median) | runs | Ratio (median of pairs) | Goal | |"
    echo "|---|---|---|---|---|---|---|"
    echo "| 10 KB HTML | plain Apache | ${MED[html_plain]} | ${RPS[html_plain]} | 1 | | |"
    echo "| 10 KB HTML | module, undecided (banner) | ${MED[html_undecided]} | ${RPS[html_undecided]} | $(ratio html_undecided html_plain) × plain | ≥ 0.95 | $(verdict "$(ratio html_undecided html_plain)" 0.95) |"
    echo "| 10 KB HTML | module, decided (button) | ${MED[html_decided]} | ${RPS[html_decided]} | $(ratio html_decided html_plain) × plain | ≥ 0.95 | $(verdict "$(ratio html_decided html_plain)" 0.95) |"
    echo "| 10 KB HTML | mod_substitute, same snippet size | ${MED[html_substitute]} | ${RPS[html_substitute]} | $(ratio html_undecided html_substitute) × mod_substitute | ≥ 1.25 | $(verdict "$(ratio html_undecided html_substitute)" 1.25) |"
    echo "| 10 KB CSS | plain Apache | ${MED[css_plain]} | ${RPS[css_plain]} | 1 | | |"
    echo "| 10 KB CSS | module | ${MED[css_module]} | ${RPS[css_module]} | $(ratio css_module css_plain) × plain | ≥ 0.99 | $(verdict "$(ratio css_module css_plain)" 0.99) |"
    echo "| 3 Set-Cookie, 1 refused | without the module | ${MED[cookies_plain]} | ${RPS[cookies_plain]} | 1 | | |"
    echo "| 3 Set-Cookie, 1 refused | module ($check_cookies_module Set-Cookie left) | ${MED[cookies_module]} | ${RPS[cookies_module]} | $(ratio cookies_module cookies_plain) × without | ≥ 0.98 | $(verdict "$(ratio cookies_module cookies_plain)" 0.98) |"
    echo "| 3 Set-Cookie, 1 refused | \`Header always edit*\` ($check_cookies_edit rewritten) | ${MED[cookies_edit]} | ${RPS[cookies_edit]} | $(ratio cookies_edit cookies_plain) × without | | |"
    echo
    echo "## Streaming ($STREAM_MB MB through a CGI, Apache -X, one request)"
    echo
    echo "| Body | Bytes | Throughput | VmHWM before | VmHWM growth | Goal |"
    echo "|---|---|---|---|---|---|"
    echo "| \`<body>\` at the start, then ${STREAM_MB} MB of text | $s1_bytes | $s1_mbps MB/s | $s1_hwm kB | $s1_growth kB | ≤ 1024 kB: $(verdict $((1024 - s1_growth)) 0) |"
    echo "| no body tag, ${STREAM_MB} MB of \`<\` (worst case: scanned to the end) | $s2_bytes | $s2_mbps MB/s | $s2_hwm kB | $s2_growth kB | ≤ 1024 kB: $(verdict $((1024 - s2_growth)) 0) |"
    echo
    echo "## The matcher alone (callgrind, 10 MB page fed in 8 KB chunks)"
    echo
    echo "| Page | Bytes | Instructions in cc_matcher_feed | Per byte | Goal |"
    echo "|---|---|---|---|---|"
    echo "| \`<body>\` after 10 MB of head markup (script, style, comments, attributes) | $cg_late_bytes | $cg_late_ir | $cg_late_ipb | ≤ 1: $(verdict "$(awk -v x="$cg_late_ipb" 'BEGIN {print (x <= 1) ? 1 : 0}')" 1) |"
    echo "| no body tag, 10 MB of ordinary content (paragraphs, links), scanned to the end | $cg_text_bytes | $cg_text_ir | $cg_text_ipb | ≤ 1: $(verdict "$(awk -v x="$cg_text_ipb" 'BEGIN {print (x <= 1) ? 1 : 0}')" 1) |"
    echo "| \`<body>\` first, then 10 MB (what the filter sees once it found the tag: nothing) | $cg_early_bytes | $cg_early_ir | $cg_early_ipb | ≤ 1: $(verdict "$(awk -v x="$cg_early_ipb" 'BEGIN {print (x <= 1) ? 1 : 0}')" 1) |"
} > "$results"
cat "$results"
rm -rf "$work"
trap - EXIT

# bench/pages.sh - the pages the benchmarks serve, written into the docroot $1 (sourced by
# bench/run.sh and bench/cpu.sh, so that both measure the same bytes):
#   page.html   10 KB of HTML, <body class="page"> after a short head
#   style.css   10 KB of CSS
bench_pages() {
    local dir=$1 page i
    page='<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench page</title>
<link rel="stylesheet" href="/style.css"></head><body class="page">
'
    while [ "${#page}" -lt 10200 ]; do
        page+='<p>Lorem ipsum dolor sit amet, <a href="/x">consectetur</a> adipiscing elit.</p>
'
    done
    printf '%s</body></html>\n' "$page" > "$dir/page.html"
    for i in $(seq 1 250); do echo ".c$i { margin: 0 auto; padding: 1px 2px; color: #123; }"; done \
        | head -c 10240 > "$dir/style.css"
}

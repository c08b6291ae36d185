#!/usr/bin/env bash
# What an undecided visitor downloads for the banner: the markup the module injects into the demo
# page (conf/examples/outscale.conf, demo/index.html) and the stylesheet and script it links, each
# compressed with gzip -9 as a server would send them, and their sum. Starts the demo
# (scripts/demo.sh) on a port of its own, measures, stops it.
#
#   bash bench/banner-weight.sh                 this tree
#   CC_REPO=/path/to/other/tree bash bench/banner-weight.sh     another tree (e.g. an older commit)
#   PORT=18090 (the demo's tracker takes PORT+1)
set -euo pipefail

REPO=${CC_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
PORT=${PORT:-18090}
RUN=$(mktemp -d /tmp/cc-weight.XXXXXX)
demo() { PORT=$PORT DEMO_DIR=$RUN DEMO_LOGLEVEL=warn bash "$REPO/scripts/demo.sh" "$@"; }
cleanup() { demo stop >/dev/null 2>&1 || true; rm -rf "$RUN"; }
trap cleanup EXIT

demo >"$RUN/demo.out" 2>&1 || { cat "$RUN/demo.out" >&2; exit 1; }
base=http://127.0.0.1:$PORT
curl -fsS "$base/" -o "$RUN/page.html"
orig=$RUN/htdocs/index.html

# The snippet is where the served page first differs from the file, as long as the page grew.
start=$( (cmp "$orig" "$RUN/page.html" || true) | sed -E 's/.*(byte|char) ([0-9]+).*/\2/')
len=$(( $(wc -c < "$RUN/page.html") - $(wc -c < "$orig") ))
head -c "$((start - 1 + len))" "$RUN/page.html" | tail -c "$len" > "$RUN/snippet.html"
if ! { head -c "$((start - 1))" "$RUN/page.html"; tail -c "+$((start + len))" "$RUN/page.html"; } \
        | cmp -s - "$orig"; then
    echo "banner-weight: the page differs from $orig elsewhere than one inserted snippet" >&2
    exit 1
fi
grep -q 'id="cc-banner"' "$RUN/snippet.html" || { echo "banner-weight: no banner in the snippet" >&2; exit 1; }

gz() { gzip -9c "$1" | wc -c | tr -d ' '; }
raw() { wc -c < "$1" | tr -d ' '; }
total=$(gz "$RUN/snippet.html")
printf '%-44s %8s %10s\n' "what" "bytes" "gzip -9"
printf '%-44s %8s %10s\n' "injected markup (demo page)" "$(raw "$RUN/snippet.html")" "$total"
for url in $(grep -oE '(href|src)="[^"]*/assets/[^"]*"' "$RUN/snippet.html" | sed -E 's/^[a-z]+="([^"]*)"$/\1/' \
             | sed 's/&amp;/\&/g'); do
    f=$RUN/$(basename "${url%%\?*}")
    curl -fsS "$base$url" -o "$f"
    printf '%-44s %8s %10s\n' "$(basename "$f")" "$(raw "$f")" "$(gz "$f")"
    total=$((total + $(gz "$f")))
done
printf '%-44s %8s %10s\n' "total for an undecided visitor" "" "$total"
# Not part of the first layer: what "Customise" fetches with JavaScript (the settings fragment).
curl -fsS "$base/cookieconsent/settings?fragment=1&return=/" -o "$RUN/fragment.html"
printf '%-44s %8s %10s\n' "(on Customise: settings fragment)" "$(raw "$RUN/fragment.html")" "$(gz "$RUN/fragment.html")"

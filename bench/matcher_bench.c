/* matcher_bench.c - feeds a generated HTML page to the <body> matcher in 8 KB chunks, the way
 * the filter sees a file. Run under `valgrind --tool=callgrind` to count instructions per byte.
 *   matcher_bench MB late|early|text
 *     late:  <body> after MB of dense head markup (script, style, comments, attributes)
 *     early: <body> right away, then MB (the filter stops scanning there)
 *     text:  no body tag, MB of ordinary content (paragraphs, links): scanned to the end */
#include "cc_matcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text_piece[] =
    "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
    "ut labore et dolore magna aliqua. Ut enim ad <a href=\"/a/long/link?x=1&amp;y=2\">minim</a> "
    "veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo.</p>\n";

static const char head_piece[] =
    "<meta name=\"x\" content=\"a &lt;body&gt; look-alike\">\n"
    "<script>var s = '<body>'; if (a < b) { s += \"</scr\" + \"ipt>\"; }</script>\n"
    "<!-- <body> in a comment -->\n<link rel=\"stylesheet\" href=\"/s.css\">\n"
    "<style>body { margin: 0 } p > a { color: red }</style>\n";

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 10, size = mb * 1024 * 1024, off, n;
    const char *mode = argc > 2 ? argv[2] : "late";
    int late = !strcmp(mode, "late"), text = !strcmp(mode, "text");
    const char *piece = text ? text_piece : head_piece;
    size_t piece_len = strlen(piece);
    char *page = malloc(size + 64);
    cc_matcher_t m;
    long found = -1, at;

    if (!page) {
        return 1;
    }
    /* The page: <html><head>, then head markup (late) or text, with the body tag last or first. */
    strcpy(page, "<!DOCTYPE html><html><head>");
    off = strlen(page);
    if (!late && !text) {
        memcpy(page + off, "<body class=\"x\">", 16);
        off += 16;
    }
    while (off + piece_len < size - 32) {
        memcpy(page + off, piece, piece_len);
        off += piece_len;
    }
    if (late) {
        memcpy(page + off, "</head><body class=\"x\">", 23);
        off += 23;
    }
    size = off;
    cc_matcher_init(&m);
    for (off = 0; off < size; off += n) {
        n = size - off < 8192 ? size - off : 8192;
        at = (long)cc_matcher_feed(&m, page + off, n);
        if (at >= 0 && found < 0) {
            found = (long)off + at;
        }
    }
    printf("bytes=%zu found_at=%ld\n", size, found);
    free(page);
    return text ? found >= 0 : found < 0;
}

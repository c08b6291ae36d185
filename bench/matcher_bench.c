/* matcher_bench.c - feeds a generated HTML page to the <body> matcher in 8 KB chunks, the way
 * the filter sees a file. Run under `valgrind --tool=callgrind` to count instructions per byte.
 *   matcher_bench MB late|early   (late: <body> after MB of head markup; early: right away) */
#include "cc_matcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char head_piece[] =
    "<meta name=\"x\" content=\"a &lt;body&gt; look-alike\">\n"
    "<script>var s = '<body>'; if (a < b) { s += \"</scr\" + \"ipt>\"; }</script>\n"
    "<!-- <body> in a comment -->\n<link rel=\"stylesheet\" href=\"/s.css\">\n"
    "<style>body { margin: 0 } p > a { color: red }</style>\n";

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 10, size = mb * 1024 * 1024, off, n;
    int late = !(argc > 2 && !strcmp(argv[2], "early"));
    char *page = malloc(size + 64);
    cc_matcher_t m;
    long found = -1, at;

    if (!page) {
        return 1;
    }
    /* The page: <html><head>, then head markup (late) or text, with the body tag last or first. */
    strcpy(page, "<!DOCTYPE html><html><head>");
    off = strlen(page);
    if (!late) {
        memcpy(page + off, "<body class=\"x\">", 16);
        off += 16;
    }
    while (off + sizeof(head_piece) < size - 32) {
        memcpy(page + off, head_piece, sizeof(head_piece) - 1);
        off += sizeof(head_piece) - 1;
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
    return found < 0;
}

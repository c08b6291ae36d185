/* test_matcher.c - the <body> matcher at every split position. */
#include "cc_test.h"
#include "cc_matcher.h"

#include <apr_strings.h>
#include <stdlib.h>

/* Each document marks the expected insertion point with '|' (none: no body tag). */
static const char *const docs[] = {
    "<html><head></head><body>|<p>x</p></body></html>",
    "<!DOCTYPE html><html lang=en><BODY class=\"a b\" data-x='y>z'>|text",
    "<body>|",
    "<body/>|",
    "<body\n\tclass=x\n>|",
    "<bodyx><body >|",
    "<!-- <body> --><body id=1>|",
    "<!--><body>|",
    "<!---><body>|",
    "<!-- a -- b --><body>|",
    "<!---- x ----><body>|",
    "<script>document.write('<body>')</script><body>|",
    "<script>if (a</b) x='</scrip'</script ><body>|",
    "<SCRIPT type=module>'</ScRiPt'</SCRIPT><body>|",
    "<style>body{} <body></style><body>|",
    "<title><body></title><body>|",
    "<textarea><body></textarea><body>|",
    "<head><meta content=\"<body>\"><body>|",
    "<head><meta content='<body>'><body>|",
    "<a title=<body>><body>|",
    "<a b=c>d<body>|",
    "<?xml version=\"1.0\"?><body>|",
    "<![CDATA[<body>]]><body>|",
    "</body><body>|",
    "< body><body>|",
    "<<body>|",
    "<body data-a=\"1\" data-b='2' data-c=3 data-d>|<body>",
    "<img src=x alt=\"a>b\"><body>|",
    "<html><head><title>No body</title></head><p>text",
    "<plaintext><body>",
    "<script><body>",
    "<!-- <body>",
    "<p class=\"unterminated <body>",
    "",
    NULL
};

static apr_ssize_t expected(const char *doc, char **plain)
{
    const char *bar = strchr(doc, '|');

    *plain = apr_pstrdup(cc_test_pool, doc);
    if (!bar) {
        return -1;
    }
    memmove(*plain + (bar - doc), *plain + (bar - doc) + 1, strlen(bar));
    return bar - doc;
}

/* Feeds plain in chunks ending at the cut positions; returns the absolute offset found or -1. */
static apr_ssize_t feed_cuts(const char *plain, const apr_size_t *cuts, int ncuts)
{
    cc_matcher_t m;
    apr_size_t start = 0, len = strlen(plain);
    apr_ssize_t at, found = -1;
    int i;

    cc_matcher_init(&m);
    for (i = 0; i <= ncuts; i++) {
        apr_size_t end = i < ncuts ? cuts[i] : len;
        at = cc_matcher_feed(&m, plain + start, end - start);
        if (at >= 0 && found < 0) {
            found = (apr_ssize_t)start + at;
        }
        start = end;
    }
    return found;
}

static void test_matcher_one_chunk(void)
{
    char *plain;
    int i;

    for (i = 0; docs[i]; i++) {
        apr_ssize_t want = expected(docs[i], &plain);
        apr_ssize_t got = feed_cuts(plain, NULL, 0);
        if (got != want) {
            fprintf(stderr, "    doc %d %s: got %ld want %ld\n", i, docs[i], (long)got, (long)want);
        }
        CHECK_INT(got, want);
    }
}

static void test_matcher_every_split(void)
{
    char *plain;
    apr_size_t cuts[2], len, a, b;
    int i, bad;

    for (i = 0; docs[i]; i++) {
        apr_ssize_t want = expected(docs[i], &plain);
        len = strlen(plain);
        bad = 0;
        for (a = 0; a <= len; a++) {                    /* two chunks, every position */
            cuts[0] = a;
            bad += feed_cuts(plain, cuts, 1) != want;
            for (b = a; b <= len; b++) {                /* three chunks, every pair */
                cuts[1] = b;
                bad += feed_cuts(plain, cuts, 2) != want;
            }
        }
        if (bad) {
            fprintf(stderr, "    doc %d %s: %d split(s) disagree\n", i, docs[i], bad);
        }
        CHECK_INT(bad, 0);
    }
}

static void test_matcher_byte_by_byte(void)
{
    char *plain;
    apr_size_t cuts[256], len, k;
    int i;

    for (i = 0; docs[i]; i++) {
        apr_ssize_t want = expected(docs[i], &plain);
        len = strlen(plain);
        if (len > 255) {
            continue;
        }
        for (k = 0; k < len; k++) {
            cuts[k] = k + 1;
        }
        CHECK_INT(feed_cuts(plain, cuts, (int)len), want);
    }
}

static void test_matcher_found_once(void)
{
    cc_matcher_t m;

    cc_matcher_init(&m);
    CHECK_INT(cc_matcher_feed(&m, "<body>", 6), 6);
    CHECK_INT(cc_matcher_feed(&m, "<body>", 6), -1);
    CHECK(m.found);
}

static void test_matcher_huge_line(void)
{
    apr_size_t n = 8 * 1024 * 1024;
    char *big = malloc(n);
    cc_matcher_t m;
    apr_size_t off;
    apr_ssize_t at = -1;

    /* 8 MB on one line before the body, fed in odd chunks: the state is all that is kept. */
    memset(big, 'x', n);
    memcpy(big, "<html><head><title>t</title>", 28);
    memcpy(big + n - 20, "<body class=\"z\">", 16);
    cc_matcher_init(&m);
    for (off = 0; off < n && at < 0; off += 7919) {
        apr_size_t len = n - off < 7919 ? n - off : 7919;
        at = cc_matcher_feed(&m, big + off, len);
        if (at >= 0) {
            at += off;
        }
    }
    CHECK_INT(at, (apr_ssize_t)(n - 4));
    free(big);
}

const cc_test_case cc_matcher_tests[] = {
    {"matcher_one_chunk", test_matcher_one_chunk},
    {"matcher_every_split", test_matcher_every_split},
    {"matcher_byte_by_byte", test_matcher_byte_by_byte},
    {"matcher_found_once", test_matcher_found_once},
    {"matcher_huge_line", test_matcher_huge_line},
    {NULL, NULL}
};

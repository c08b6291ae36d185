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

/* Document or fragment (issue 7, item 10), and what the response starts with (item 11). */
static const struct {
    const char *doc;
    cc_matcher_start_e start;
    int is_document;
    apr_size_t len;                 /* for the ones with NULs; 0: strlen */
} starts[] = {
    {"<!DOCTYPE html><title>x</title><p>no body tag", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"<!doctype html>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"\xef\xbb\xbf\r\n  <!DOCTYPE html>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"<!-- generated --> \n<html>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"<?xml version=\"1.0\"?>\n<html xmlns=x>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"<HTML lang=fr>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"<head><title>t</title>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"  <body class=x>", CC_MATCHER_START_DOCUMENT, 1, 0},
    {"<meta charset=utf-8><title>old page</title><body>", CC_MATCHER_START_OTHER, 1, 0},
    {"<title>t</title>\n<p>no body", CC_MATCHER_START_OTHER, 0, 0},
    {"1<link rel='stylesheet' href='/a.css'>", CC_MATCHER_START_OTHER, 0, 0},   /* admin-ajax */
    {"<tr id=\"post-1\" class=\"iedit\"><td>Quick Edit</td></tr>", CC_MATCHER_START_OTHER, 0, 0},
    {"<div hx-swap-oob=\"true\">partial</div>", CC_MATCHER_START_OTHER, 0, 0},
    {"<turbo-frame id=\"messages\"><p>hi</p></turbo-frame>", CC_MATCHER_START_OTHER, 0, 0},
    {"</div>", CC_MATCHER_START_OTHER, 0, 0},
    {"< p", CC_MATCHER_START_OTHER, 0, 0},
    {"{\"json\": \"<html>\"}", CC_MATCHER_START_OTHER, 1, 0},  /* a tag for an HTML parser */
    {"text then <html>", CC_MATCHER_START_OTHER, 1, 0},
    {"<htmlx>", CC_MATCHER_START_OTHER, 0, 0},
    {"<bodyx>", CC_MATCHER_START_OTHER, 0, 0},
    {"", CC_MATCHER_START_UNKNOWN, 0, 0},
    {"  \r\n\t", CC_MATCHER_START_UNKNOWN, 0, 0},
    {"<!-- only a comment -->", CC_MATCHER_START_UNKNOWN, 0, 0},
    {"\xef\xbb\xbf", CC_MATCHER_START_UNKNOWN, 0, 0},
    {"\xff\xfe<\0h\0t\0m\0l\0>\0<\0b\0o\0d\0y\0>\0", CC_MATCHER_START_FOREIGN, 0, 28},  /* UTF-16LE */
    {"\xfe\xff\0<\0b\0o\0d\0y\0>", CC_MATCHER_START_FOREIGN, 0, 14},  /* UTF-16BE */
    {"\0\0\xfe\xff", CC_MATCHER_START_FOREIGN, 0, 4},   /* UTF-32BE */
    {"  \xef\xbb\xbf<body>", CC_MATCHER_START_OTHER, 1, 0},    /* a BOM after text is text */
    {NULL, 0, 0, 0}
};

static void test_matcher_document_start(void)
{
    apr_size_t len, a, b;
    int i, bad;

    for (i = 0; starts[i].doc; i++) {
        const char *d = starts[i].doc;
        len = starts[i].len ? starts[i].len : strlen(d);
        bad = 0;
        for (a = 0; a <= len; a++) {
            for (b = a; b <= len; b++) {
                cc_matcher_t m;
                cc_matcher_init(&m);
                cc_matcher_feed(&m, d, a);
                cc_matcher_feed(&m, d + a, b - a);
                cc_matcher_feed(&m, d + b, len - b);
                bad += m.start != starts[i].start
                       || cc_matcher_is_document(&m) != starts[i].is_document;
            }
        }
        if (bad) {
            cc_matcher_t m;
            cc_matcher_init(&m);
            cc_matcher_feed(&m, d, len);
            fprintf(stderr, "    start %d: %d split(s) disagree (one chunk: start %d, doc %d)\n",
                    i, bad, m.start, cc_matcher_is_document(&m));
        }
        CHECK_INT(bad, 0);
    }
}

const cc_test_case cc_matcher_tests[] = {
    {"matcher_document_start", test_matcher_document_start},
    {"matcher_one_chunk", test_matcher_one_chunk},
    {"matcher_every_split", test_matcher_every_split},
    {"matcher_byte_by_byte", test_matcher_byte_by_byte},
    {"matcher_found_once", test_matcher_found_once},
    {"matcher_huge_line", test_matcher_huge_line},
    {NULL, NULL}
};

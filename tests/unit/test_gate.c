/* test_gate.c - the third-party rewriter (cc_gate) at every split position. */
#include "cc_test.h"
#include "cc_gate.h"

#include <apr_strings.h>

/* necessary (required), statistical (bit 1), marketing (bit 2) as in cc_test_decl, with Block
 * and BlockInline on the Piwik (statistical) and Ads (marketing) rows. */
static cc_decl_t *gate_decl(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    int i;

    for (i = 0; i < d->cookies->nelts; i++) {
        cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, i, cc_cookie_decl_t *);
        if (!strcmp(row->label, "Piwik")) {
            row->block = apr_array_make(cc_test_pool, 2, sizeof(const char *));
            APR_ARRAY_PUSH(row->block, const char *) = "*/matomo.js";
            APR_ARRAY_PUSH(row->block, const char *) = "*/matomo.php*";
            row->block_inline = apr_array_make(cc_test_pool, 1, sizeof(const char *));
            APR_ARRAY_PUSH(row->block_inline, const char *) = "_paq";
        }
        if (!strcmp(row->label, "Ads")) {
            row->block = apr_array_make(cc_test_pool, 3, sizeof(const char *));
            APR_ARRAY_PUSH(row->block, const char *) = "https://www.youtube.com/embed/*";
            APR_ARRAY_PUSH(row->block, const char *) = "https://ads.example/*";
            APR_ARRAY_PUSH(row->block, const char *) = "http://site.test/css/ads.css";
            row->block_inline = apr_array_make(cc_test_pool, 1, sizeof(const char *));
            APR_ARRAY_PUSH(row->block_inline, const char *) = "adsbygoogle.push";
        }
    }
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);     /* gated_mask */
    CHECK_INT(d->gated_mask, 6);
    return d;
}

static cc_render_t gate_rc(const cc_decl_t *d, apr_uint32_t allowed)
{
    cc_render_t rc;
    cc_decision_t *dec = apr_pcalloc(cc_test_pool, sizeof(*dec));

    dec->allowed = d->required_mask | allowed;
    dec->decided = allowed != 0;
    memset(&rc, 0, sizeof(rc));
    rc.decl = d;
    rc.dec = dec;
    rc.lang = "en";
    rc.endpoint = "/cookieconsent";
    rc.return_path = "/page?x=1&y=2";
    rc.asset_version = "0";
    return rc;
}

/* The document after the edits found when fed in chunks ending at cuts; hold is checked to
 * never point before what the caller could still have. */
static const char *rewrite(const cc_render_t *rc, const char *in, const apr_size_t *cuts,
                           int ncuts)
{
    cc_gate_t *g = cc_gate_create(cc_test_pool, rc, "http://site.test", "/dir/page.html");
    apr_size_t len = strlen(in), start = 0, end;
    apr_array_header_t *all = apr_array_make(cc_test_pool, 4, sizeof(cc_gate_edit_t));
    apr_off_t sent = 0, hold;
    const char *out = "";
    int i;

    for (i = 0; i <= ncuts; i++) {
        end = i < ncuts ? cuts[i] : len;
        cc_gate_feed(g, in + start, end - start);
        start = end;
        if (i == ncuts) {
            cc_gate_end(g);
        }
        apr_array_header_t *e = cc_gate_edits(g);
        for (int j = 0; j < e->nelts; j++) {
            cc_gate_edit_t *x = &APR_ARRAY_IDX(e, j, cc_gate_edit_t);
            /* an edit never reaches back into bytes a caller already sent */
            if (x->start < sent) {
                return "EDIT BEFORE SENT BYTES";
            }
            APR_ARRAY_PUSH(all, cc_gate_edit_t) = *x;
        }
        apr_array_clear(e);
        hold = cc_gate_hold(g);
        sent = hold >= 0 ? hold : (apr_off_t)end;
    }
    start = 0;
    for (i = 0; i < all->nelts; i++) {
        cc_gate_edit_t *x = &APR_ARRAY_IDX(all, i, cc_gate_edit_t);
        out = apr_pstrcat(cc_test_pool, out, apr_pstrmemdup(cc_test_pool, in + start,
                                                             (apr_size_t)x->start - start),
                          x->text, NULL);
        start = (apr_size_t)x->end;
    }
    return apr_pstrcat(cc_test_pool, out, in + start, NULL);
}

typedef struct {
    const char *in;
    apr_uint32_t allowed;           /* optional categories accepted: 2 statistical, 4 marketing */
    const char *out;                /* NULL: unchanged */
} gate_case;

static const gate_case cases[] = {
    /* Block on src, undecided / accepted */
    {"<p><script src=\"/js/matomo.js\"></script>",
     0, "<p><script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"/js/matomo.js\"></script>"},
    {"<p><script src=\"/js/matomo.js\"></script>", 2, NULL},
    {"<script async src='https://cdn.x/matomo.js' id=m></script>",
     4, "<script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"https://cdn.x/matomo.js\" async id=m></script>"},
    {"<SCRIPT SRC=\"/matomo.js\" Type=\"text/javascript\" defer></SCRIPT>",
     0, "<script type=\"text/plain\" data-cookieconsent=\"statistical\" data-cc-src=\"/matomo.js\" "
        "data-cc-type=\"text/javascript\" defer></SCRIPT>"},
    /* relative URLs are matched resolved too */
    {"<script src=\"js/matomo.js\"></script>",
     0, "<script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"js/matomo.js\"></script>"},
    {"<script src=\"/js/app.js\"></script><script src=\"matomo.jsx\"></script>", 0, NULL},
    /* BlockInline */
    {"<script>var _paq = window._paq = window._paq || [];</script>",
     0, "<script type=\"text/plain\" data-cookieconsent=\"statistical\">var _paq = window._paq = "
        "window._paq || [];</script>"},
    {"<script nonce=\"n1\">\n  (adsbygoogle = window.adsbygoogle || []).push({});</script>",
     0, NULL},
    {"<script nonce=\"n1\">(adsbygoogle.push({}));</script>",
     2, "<script type=\"text/plain\" data-cookieconsent=\"marketing\" nonce=\"n1\">"
        "(adsbygoogle.push({}));</script>"},
    {"<script>var _paq = [];</script>", 2, NULL},
    {"<script>var x = '</scr' + 'ipt>'; _paq.push(1)</script>",
     0, "<script type=\"text/plain\" data-cookieconsent=\"statistical\">var x = '</scr' + "
        "'ipt>'; _paq.push(1)</script>"},
    {"<script>var a = 1;</script><p>_paq</p>", 0, NULL},
    {"<script type=\"application/ld+json\">{\"_paq\":1}</script>", 0, NULL},
    {"<script src=\"/app.js\"></script><script>_paq.push(1)</script>",
     0, "<script src=\"/app.js\"></script><script type=\"text/plain\" "
        "data-cookieconsent=\"statistical\">_paq.push(1)</script>"},
    /* pixels, also in <noscript> and <template>; '>' in attributes */
    {"<noscript><p><img referrerpolicy=\"no-referrer-when-downgrade\" "
     "src=\"https://t.example/matomo.php?idsite=1&amp;rec=1\" style=\"border:0\" alt=\"\" />"
     "</p></noscript>",
     0, "<noscript><p><img data-cookieconsent=\"statistical\" "
        "data-cc-src=\"https://t.example/matomo.php?idsite=1&amp;rec=1\" "
        "referrerpolicy=\"no-referrer-when-downgrade\" style=\"border:0\" alt=\"\" /></p>"
        "</noscript>"},
    {"<img alt=\"a>b\" src=\"/matomo.php\">",
     0, "<img data-cookieconsent=\"statistical\" data-cc-src=\"/matomo.php\" alt=\"a>b\">"},
    {"<template><script src=\"/matomo.js\"></script></template>",
     0, "<template><script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"/matomo.js\"></script></template>"},
    {"<img srcset=\"https://ads.example/p.gif 1x\" alt=x>",
     0, "<img data-cookieconsent=\"marketing\" data-cc-srcset=\"https://ads.example/p.gif 1x\" "
        "alt=x>"},
    /* not markup: comments, raw text, attribute values */
    {"<!-- <script src=\"/matomo.js\"></script> -->", 0, NULL},
    {"<textarea><script src=\"/matomo.js\"></script></textarea>", 0, NULL},
    {"<style>/* <img src=/matomo.php> */</style>", 0, NULL},
    {"<title><script>_paq</script></title>", 0, NULL},
    {"<a title=\"<script src=/matomo.js>\">x</a>", 0, NULL},
    {"<<script src=\"/matomo.js\"></script>",
     0, "<<script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"/matomo.js\"></script>"},
    {"<script>document.write('<img src=/matomo.php>')</script>", 0, NULL},
    /* links, embeds, objects */
    {"<link rel=\"stylesheet\" href=\"/css/ads.css\">",
     0, "<link data-cookieconsent=\"marketing\" data-cc-href=\"/css/ads.css\" "
        "rel=\"stylesheet\">"},
    {"<link rel=\"icon\" href=\"/css/ads.css\">", 0, NULL},
    {"<link rel=\"preload\" as=\"script\" href=\"https://cdn.x/matomo.js\">",
     0, "<link data-cookieconsent=\"statistical\" data-cc-href=\"https://cdn.x/matomo.js\" "
        "rel=\"preload\" as=\"script\">"},
    {"<embed src=\"https://ads.example/a.swf\"><object data=\"https://ads.example/o\"></object>",
     0, "<embed data-cookieconsent=\"marketing\" data-cc-src=\"https://ads.example/a.swf\">"
        "<object data-cookieconsent=\"marketing\" data-cc-data=\"https://ads.example/o\">"
        "</object>"},
    /* protocol-relative: the page's scheme (http here) decides, and the glob says https */
    {"<script src=\"//ads.example/x.js\"></script>", 0, NULL},
    {"<script src=\"//site.test/matomo.js\"></script>",
     0, "<script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"//site.test/matomo.js\"></script>"},
    /* manual markup */
    {"<script type=\"text/plain\" data-cookieconsent=\"statistical\" data-cc-src=\"/a.js\" "
     "data-cc-type=\"module\"></script>",
     2, "<script type=\"module\" data-cookieconsent=\"statistical\" src=\"/a.js\"></script>"},
    {"<script type=\"text/plain\" data-cookieconsent=\"statistical\">go()</script>",
     2, "<script data-cookieconsent=\"statistical\">go()</script>"},
    {"<script type=\"text/plain\" data-cookieconsent=\"statistical\">go()</script>", 0, NULL},
    {"<img data-cookieconsent=\"marketing\" data-cc-src=\"/p.gif\" alt=\"\">",
     4, "<img data-cookieconsent=\"marketing\" src=\"/p.gif\" alt=\"\">"},
    {"<script type=\"text/plain\" data-cookieconsent=\"unknown\">go()</script>", 6, NULL},
    /* a URL with a double quote, written in single quotes */
    {"<script src='/x\"/matomo.js'></script>",
     0, "<script type=\"text/plain\" data-cookieconsent=\"statistical\" "
        "data-cc-src=\"/x&quot;/matomo.js\"></script>"},
    {NULL, 0, NULL}
};

static void test_gate_cases_every_split(void)
{
    cc_decl_t *d = gate_decl();
    apr_size_t cuts[2], len, a, b;
    int i, bad;

    for (i = 0; cases[i].in; i++) {
        cc_render_t rc = gate_rc(d, cases[i].allowed);
        const char *want = cases[i].out ? cases[i].out : cases[i].in;
        const char *got = rewrite(&rc, cases[i].in, NULL, 0);
        if (strcmp(got, want)) {
            fprintf(stderr, "    case %d:\n      got:  %s\n      want: %s\n", i, got, want);
        }
        CHECK_STR(got, want);
        len = strlen(cases[i].in);
        bad = 0;
        for (a = 0; a <= len; a++) {
            cuts[0] = a;
            bad += strcmp(rewrite(&rc, cases[i].in, cuts, 1), want) != 0;
            for (b = a; b <= len; b += (len > 120 ? 3 : 1)) {
                cuts[1] = b;
                bad += strcmp(rewrite(&rc, cases[i].in, cuts, 2), want) != 0;
            }
        }
        if (bad) {
            fprintf(stderr, "    case %d: %d split(s) disagree\n", i, bad);
        }
        CHECK_INT(bad, 0);
    }
}

static void test_gate_iframe_placeholder(void)
{
    cc_decl_t *d = gate_decl();
    cc_render_t rc = gate_rc(d, 0);
    const char *in = "<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/x?a=1"
                     "&amp;b=2\" title=\"A video\" allowfullscreen></iframe>";
    const char *out = rewrite(&rc, in, NULL, 0);

    CHECK(strstr(out, "<div class=\"cc-root cc-placeholder\" data-cc-placeholder=\"marketing\""));
    CHECK(strstr(out, "This content is provided by Ads"));
    CHECK(strstr(out, "<input type=\"hidden\" name=\"category\" value=\"marketing\">"));
    CHECK(strstr(out, "<input type=\"hidden\" name=\"return\" value=\"/page?x=1&amp;y=2\">"));
    CHECK(strstr(out, "name=\"action\" value=\"allow\">Allow and load</button>"));
    CHECK(strstr(out, "<iframe data-cookieconsent=\"marketing\" data-cc-src=\"https://www.youtube"
                      ".com/embed/x?a=1&amp;b=2\" width=\"560\" "
                      "height=\"315\" title=\"A video\" allowfullscreen></iframe>"));
    CHECK(!strstr(out, " src="));
    rc.lang = "fr";
    CHECK(strstr(rewrite(&rc, in, NULL, 0), "Autoriser et charger"));
    /* accepted: byte for byte */
    rc = gate_rc(d, 4);
    CHECK_STR(rewrite(&rc, in, NULL, 0), in);
    /* manual iframe of a refused category: the placeholder before it, the iframe as written */
    rc = gate_rc(d, 0);
    in = "<iframe data-cookieconsent=\"marketing\" data-cc-src=\"/v\"></iframe>";
    out = rewrite(&rc, in, NULL, 0);
    CHECK(strstr(out, "cc-placeholder"));
    CHECK(strstr(out, in) && strlen(strstr(out, in)) == strlen(in));
    rc = gate_rc(d, 4);
    CHECK_STR(rewrite(&rc, in, NULL, 0),
              "<iframe data-cookieconsent=\"marketing\" src=\"/v\"></iframe>");
    /* held and activated again: the markup round-trips */
    rc = gate_rc(d, 0);
    out = rewrite(&rc, "<iframe src=\"https://www.youtube.com/embed/y\" hidden></iframe>", NULL, 0);
    rc = gate_rc(d, 4);
    CHECK(strstr(rewrite(&rc, out, NULL, 0),
                 "<iframe data-cookieconsent=\"marketing\" src=\"https://www.youtube.com/embed/y"
                 "\" hidden></iframe>"));
    CHECK(strstr(out, "data-cc-src=\"https://www.youtube.com/embed/y\" hidden>"));
}

static void test_gate_placeholder_escaping(void)
{
    cc_decl_t *d = gate_decl();
    cc_render_t rc;
    const char *out;
    int i;

    for (i = 0; i < d->cookies->nelts; i++) {
        cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, i, cc_cookie_decl_t *);
        if (!strcmp(row->label, "Ads")) {
            row->label = "Ads <script>alert(1)</script> & \"co\"";
        }
    }
    rc = gate_rc(d, 0);
    rc.return_path = "/p?a=\"><script>x</script>";
    rc.lang = "en\"><b";
    out = rewrite(&rc, "<iframe src=\"https://ads.example/v\"></iframe>", NULL, 0);
    CHECK(strstr(out, "Ads &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;"));
    CHECK(strstr(out, "value=\"/p?a=&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""));
    CHECK(strstr(out, "lang=\"en&quot;&gt;&lt;b\""));
    CHECK(!strstr(out, "<script>"));
    CHECK(!strstr(out, "lang=\"en\""));
}

static void test_gate_hold_and_bounds(void)
{
    cc_decl_t *d = gate_decl();
    cc_render_t rc = gate_rc(d, 0);
    cc_gate_t *g = cc_gate_create(cc_test_pool, &rc, "http://site.test", "/");
    char *big;

    cc_gate_feed(g, "<p>text</p><scr", 15);
    CHECK_INT(cc_gate_hold(g), 11);                 /* the tag being read */
    cc_gate_feed(g, "ipt src=\"/a.js\"></script><p>", 28);
    CHECK_INT(cc_gate_hold(g), -1);
    CHECK_INT(cc_gate_edits(g)->nelts, 0);
    cc_gate_feed(g, "<script>var a=1;", 16);
    CHECK_INT(cc_gate_hold(g), 43);                 /* an inline script being read */
    cc_gate_feed(g, "</script>", 9);
    CHECK_INT(cc_gate_hold(g), -1);
    /* an inline script longer than the bound is left, and counted */
    g = cc_gate_create(cc_test_pool, &rc, "http://site.test", "/");
    big = apr_palloc(cc_test_pool, CC_GATE_INLINE_MAX + 100);
    memset(big, 'x', CC_GATE_INLINE_MAX + 99);
    big[CC_GATE_INLINE_MAX + 99] = '\0';
    cc_gate_feed(g, "<script>", 8);
    cc_gate_feed(g, big, strlen(big));
    cc_gate_feed(g, "_paq</script>", 13);
    CHECK_INT(cc_gate_edits(g)->nelts, 0);
    CHECK_INT(cc_gate_overlong(g), 1);
    CHECK_INT(cc_gate_hold(g), -1);
    /* a start tag longer than its bound: left, counted */
    g = cc_gate_create(cc_test_pool, &rc, "http://site.test", "/");
    cc_gate_feed(g, "<img alt=\"", 10);
    cc_gate_feed(g, big, CC_GATE_TAG_MAX);
    cc_gate_feed(g, "\" src=\"/matomo.php\">", 20);
    CHECK_INT(cc_gate_edits(g)->nelts, 0);
    CHECK_INT(cc_gate_overlong(g), 1);
    CHECK_INT(cc_gate_hold(g), -1);
    /* no BlockInline row refused: inline scripts are not held */
    rc = gate_rc(d, 6);
    g = cc_gate_create(cc_test_pool, &rc, "http://site.test", "/");
    cc_gate_feed(g, "<script>var a", 13);
    CHECK_INT(cc_gate_hold(g), -1);
}

static void test_gate_resolve(void)
{
    const char *o = "https://www.site.test:8443";

    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/a/b/page.html", "x.js"),
              "https://www.site.test:8443/a/b/x.js");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/a/b/", "../x.js"),
              "https://www.site.test:8443/a/b/../x.js");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/a/b", "/x.js"), "https://www.site.test:8443/x.js");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/a", "//cdn.test/x.js"), "https://cdn.test/x.js");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/a", "HTTP://cdn.test/x.js"),
              "HTTP://cdn.test/x.js");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/a", " data:text/js,1"), "data:text/js,1");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/", "a:b"), "a:b");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, NULL, "x"), "https://www.site.test:8443/x");
    CHECK_STR(cc_gate_resolve(cc_test_pool, o, "/p", "?q=1"), "https://www.site.test:8443/?q=1");
}

/* Consent Mode's default goes first in <head>, or before the first script without one. */
static const char *with_head(const cc_render_t *rc, const char *in, apr_size_t cut)
{
    cc_gate_t *g = cc_gate_create(cc_test_pool, rc, "http://site.test", "/");
    apr_array_header_t *e;
    const char *out = "";
    apr_size_t start = 0;
    int j;

    cc_gate_set_head(g, "<HEAD-TEXT>");
    cc_gate_feed(g, in, cut);
    cc_gate_feed(g, in + cut, strlen(in) - cut);
    cc_gate_end(g);
    e = cc_gate_edits(g);
    for (j = 0; j < e->nelts; j++) {
        cc_gate_edit_t *x = &APR_ARRAY_IDX(e, j, cc_gate_edit_t);
        out = apr_pstrcat(cc_test_pool, out, apr_pstrmemdup(cc_test_pool, in + start,
                                                             (apr_size_t)x->start - start),
                          x->text, NULL);
        start = (apr_size_t)x->end;
    }
    return apr_pstrcat(cc_test_pool, out, in + start, NULL);
}

static void test_gate_head_text(void)
{
    static const char *const cases[][2] = {
        {"<!DOCTYPE html><html><HEAD lang=\"x\"><title>t</title><script>a()</script>",
         "<!DOCTYPE html><html><HEAD lang=\"x\"><HEAD-TEXT><title>t</title><script>a()</script>"},
        {"<html><script src=/a.js></script><head></head>",
         "<html><HEAD-TEXT><script src=/a.js></script><head></head>"},
        {"<!-- <head> --><head><script>x</script>",
         "<!-- <head> --><head><HEAD-TEXT><script>x</script>"},
        {"<body><p>no head, no script</p>", "<body><p>no head, no script</p>"},
        {"<header><script>x</script>", "<header><HEAD-TEXT><script>x</script>"},
        {"<head><script src=\"/matomo.js\"></script>",
         "<head><HEAD-TEXT><script type=\"text/plain\" data-cookieconsent=\"statistical\" "
         "data-cc-src=\"/matomo.js\"></script>"},
        {"<script src=\"/matomo.js\"></script>",
         "<HEAD-TEXT><script type=\"text/plain\" data-cookieconsent=\"statistical\" "
         "data-cc-src=\"/matomo.js\"></script>"},
        {NULL, NULL}
    };
    cc_decl_t *d = gate_decl();
    cc_render_t rc = gate_rc(d, 0);
    apr_size_t cut;
    int i, bad;

    for (i = 0; cases[i][0]; i++) {
        bad = 0;
        for (cut = 0; cut <= strlen(cases[i][0]); cut++) {
            const char *got = with_head(&rc, cases[i][0], cut);
            if (strcmp(got, cases[i][1])) {
                if (!bad) {
                    fprintf(stderr, "    head %d cut %d: %s\n", i, (int)cut, got);
                }
                bad++;
            }
        }
        CHECK_INT(bad, 0);
    }
    /* without rules, the rewriter is done once the text is placed */
    {
        cc_decl_t *plain = cc_test_decl(cc_test_pool);
        cc_render_t prc = gate_rc(plain, 0);
        cc_gate_t *g = cc_gate_create(cc_test_pool, &prc, "http://site.test", "/");
        cc_gate_set_head(g, "x");
        cc_gate_feed(g, "<html><he", 9);
        CHECK(!cc_gate_finished(g));
        cc_gate_feed(g, "ad>", 3);
        CHECK(cc_gate_finished(g));
        CHECK_INT(cc_gate_edits(g)->nelts, 1);
        g = cc_gate_create(cc_test_pool, &rc, "http://site.test", "/");
        cc_gate_set_head(g, "x");
        cc_gate_feed(g, "<head>", 6);
        CHECK(!cc_gate_finished(g));             /* Block rules: the page goes on */
    }
}

const cc_test_case cc_gate_tests[] = {
    {"gate_head_text", test_gate_head_text},
    {"gate_cases_every_split", test_gate_cases_every_split},
    {"gate_iframe_placeholder", test_gate_iframe_placeholder},
    {"gate_placeholder_escaping", test_gate_placeholder_escaping},
    {"gate_hold_and_bounds", test_gate_hold_and_bounds},
    {"gate_resolve", test_gate_resolve},
    {NULL, NULL}
};

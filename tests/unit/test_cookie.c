/* test_cookie.c - Cookie and Set-Cookie parsing at every edge. */
#include "cc_test.h"
#include "cc_cookie.h"

#include <apr_tables.h>
#include <apr_strings.h>

static apr_array_header_t *parse(const char *h)
{
    apr_array_header_t *a = apr_array_make(cc_test_pool, 4, sizeof(cc_cookie_t));

    cc_cookie_parse(cc_test_pool, h, a);
    return a;
}

#define COOKIE(a, i) (&APR_ARRAY_IDX((a), (i), cc_cookie_t))

static void test_cookie_basic(void)
{
    apr_array_header_t *a = parse("a=1; b=2;c=3");

    CHECK_INT(a->nelts, 3);
    CHECK_STR(COOKIE(a, 0)->name, "a");
    CHECK_STR(COOKIE(a, 0)->value, "1");
    CHECK_STR(COOKIE(a, 1)->name, "b");
    CHECK_STR(COOKIE(a, 2)->name, "c");
    CHECK_STR(COOKIE(a, 2)->value, "3");
    CHECK_STR(COOKIE(a, 2)->pair, "c=3");
}

static void test_cookie_edges(void)
{
    apr_array_header_t *a;

    CHECK_INT(parse("")->nelts, 0);
    CHECK_INT(parse(NULL)->nelts, 0);
    CHECK_INT(parse(";;; ;")->nelts, 0);
    CHECK_INT(parse("   ")->nelts, 0);

    a = parse("novalue");          /* no '=': a nameless cookie (RFC 6265bis 5.6) */
    CHECK_INT(a->nelts, 1);
    CHECK_STR(COOKIE(a, 0)->name, "");
    CHECK_STR(COOKIE(a, 0)->value, "novalue");

    a = parse("=v");               /* empty name */
    CHECK_STR(COOKIE(a, 0)->name, "");
    CHECK_STR(COOKIE(a, 0)->value, "v");

    a = parse("n=");               /* empty value */
    CHECK_STR(COOKIE(a, 0)->name, "n");
    CHECK_STR(COOKIE(a, 0)->value, "");

    a = parse("q=\"quoted value\"");
    CHECK_STR(COOKIE(a, 0)->value, "\"quoted value\"");

    a = parse("  sp  =  v w  ;\tt=1\t");
    CHECK_STR(COOKIE(a, 0)->name, "sp");
    CHECK_STR(COOKIE(a, 0)->value, "v w");
    CHECK_STR(COOKIE(a, 1)->name, "t");

    a = parse("eq=a=b=c");         /* only the first '=' splits */
    CHECK_STR(COOKIE(a, 0)->name, "eq");
    CHECK_STR(COOKIE(a, 0)->value, "a=b=c");

    a = parse("d=1; d=2");         /* duplicates are kept, in order */
    CHECK_INT(a->nelts, 2);
    CHECK_STR(COOKIE(a, 1)->value, "2");

    a = parse("x=\xff\xfe; y=caf\xc3\xa9");
    CHECK_INT(a->nelts, 2);
    CHECK_STR(COOKIE(a, 1)->value, "caf\xc3\xa9");
}

static void test_cookie_merged_by_httpd(void)
{
    /* httpd joins repeated Cookie headers with ", ". */
    apr_array_header_t *a = parse("_pk_id.1.x=1, csrftoken=abc");

    CHECK_INT(a->nelts, 2);
    CHECK_STR(COOKIE(a, 0)->value, "1");
    CHECK_STR(COOKIE(a, 1)->name, "csrftoken");
    a = parse("a=1,b=2;c=3");
    CHECK_INT(a->nelts, 3);
    /* Commas inside values stay there. */
    a = parse("j={\"a\":1,\"b\":2}; d=Thu, 01 Jan 1970");
    CHECK_INT(a->nelts, 2);
    CHECK_STR(COOKIE(a, 0)->value, "{\"a\":1,\"b\":2}");
    CHECK_STR(COOKIE(a, 1)->value, "Thu, 01 Jan 1970");
    a = parse("x=a,, ,");
    CHECK_INT(a->nelts, 1);
    CHECK_STR(COOKIE(a, 0)->value, "a,, ,");
}

static void test_cookie_many_headers(void)
{
    apr_array_header_t *a = apr_array_make(cc_test_pool, 4, sizeof(cc_cookie_t));

    cc_cookie_parse(cc_test_pool, "a=1", a);
    cc_cookie_parse(cc_test_pool, "b=2; c=3", a);
    CHECK_INT(a->nelts, 3);
    CHECK_STR(COOKIE(a, 2)->name, "c");
}

/* The response filter's name-only reading agrees with the full parse, byte for byte. */
/* A control character anywhere (each byte 0x01-0x1f but HTAB, and DEL, at every position of
 * headers shorter and longer than a word) makes a Set-Cookie unparsable; HTAB and bytes >= 0x80
 * do not. */
static void test_set_cookie_controls(void)
{
    static const char base[] = "sid=abc123; Path=/; Max-Age=60; HttpOnly; SameSite=Lax";
    char h[sizeof(base) + 1];
    const char *name;
    cc_set_cookie_t sc;
    apr_size_t len, pos;
    int c;

    for (len = 1; len < sizeof(base); len++) {
        for (pos = 0; pos <= len; pos++) {
            for (c = 1; c < 0x100; c++) {
                int ctl = (c < 0x20 && c != '\t') || c == 0x7f;
                if (!ctl && c != '\t' && c != 0x80 && c != 0xff) {
                    continue;
                }
                memcpy(h, base, pos);
                h[pos] = (char)c;
                memcpy(h + pos + 1, base + pos, len - pos);
                h[len + 1] = '\0';
                if (ctl) {
                    if (cc_set_cookie_name(cc_test_pool, h, &name) != -1
                        || cc_set_cookie_parse(cc_test_pool, h, &sc) != -1) {
                        CHECK_STR(h, "(refused: it holds a control character)");
                    }
                }
                else if (pos >= 4 && cc_set_cookie_name(cc_test_pool, h, &name) != 0) {
                    CHECK_STR(h, "(read: HTAB and 8-bit bytes are not control characters)");
                }
            }
        }
    }
}

static void test_set_cookie_name(void)
{
    static const char *const in[] = {
        "sid=abc; Path=/", "  _pk_id.1.ab  =  v  ;;  ; Secure ", "justvalue; Path=/", "a=b=c",
        "=", "", "; Path=/", "a=b\r\nX: y", "a=\x01", " = ; x", "=v", " \t=\t; a=b", "n=",
        "n", " n ", "\tn\t=\tv", "a;b=c", "=;", "x=;y=z", "\x7f=1", "a b=c", NULL
    };
    cc_set_cookie_t sc;
    const char *name;
    int i, rc;

    for (i = 0; in[i]; i++) {
        rc = cc_set_cookie_parse(cc_test_pool, in[i], &sc);
        name = NULL;
        CHECK_INT(cc_set_cookie_name(cc_test_pool, in[i], &name), rc);
        if (rc == 0) {
            CHECK_STR(name, sc.name);
        }
    }
    CHECK_INT(cc_set_cookie_name(cc_test_pool, NULL, &name), -1);
    CHECK_INT(cc_set_cookie_name(cc_test_pool, "  _pk_id.1.ab  =  v  ;;", &name), 0);
    CHECK_STR(name, "_pk_id.1.ab");
}

static void test_set_cookie(void)
{
    cc_set_cookie_t sc;

    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "sid=abc; Path=/; HttpOnly; Domain=.x.test",
                                  &sc), 0);
    CHECK_STR(sc.name, "sid");
    CHECK_STR(sc.value, "abc");
    CHECK_INT(sc.attrs->nelts, 3);
    CHECK_STR(cc_set_cookie_attr(&sc, "path"), "/");
    CHECK_STR(cc_set_cookie_attr(&sc, "HTTPONLY"), "");
    CHECK_STR(cc_set_cookie_attr(&sc, "domain"), ".x.test");
    CHECK(cc_set_cookie_attr(&sc, "Secure") == NULL);

    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "  _pk_id.1.ab  =  v  ;;  ; Secure ", &sc), 0);
    CHECK_STR(sc.name, "_pk_id.1.ab");
    CHECK_STR(sc.value, "v");
    CHECK_INT(sc.attrs->nelts, 1);

    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "justvalue; Path=/", &sc), 0);
    CHECK_STR(sc.name, "");
    CHECK_STR(sc.value, "justvalue");

    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "a=b=c", &sc), 0);
    CHECK_STR(sc.value, "b=c");

    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "=", &sc), -1);
    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "", &sc), -1);
    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "; Path=/", &sc), -1);
    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "a=b\r\nX: y", &sc), -1);
    CHECK_INT(cc_set_cookie_parse(cc_test_pool, "a=\x01", &sc), -1);
    CHECK_INT(cc_set_cookie_parse(cc_test_pool, NULL, &sc), -1);
}

static int keep_not_pk(void *baton, const cc_cookie_t *c)
{
    (*(int *)baton)++;
    return strncmp(c->name, "_pk_", 4) != 0;
}

/* Two headers parsed into one array, joined header by header (the request side's use). */
static void test_cookie_join(void)
{
    apr_array_header_t *a = apr_array_make(cc_test_pool, 2, sizeof(cc_cookie_t));
    int calls = 0, dropped, mid;

    cc_cookie_parse(cc_test_pool, " a=1 ;_pk_x = 2", a);
    mid = a->nelts;
    cc_cookie_parse(cc_test_pool, "b=3;; _pk_y=4;c = 5 ", a);
    CHECK_INT(mid, 2);
    CHECK_INT(a->nelts, 5);
    CHECK_STR(COOKIE(a, 1)->name, "_pk_x");
    CHECK_STR(COOKIE(a, 1)->value, "2");
    CHECK_STR(COOKIE(a, 1)->pair, "_pk_x = 2");
    CHECK_STR(COOKIE(a, 4)->name, "c");
    CHECK_STR(COOKIE(a, 4)->value, "5");
    CHECK_STR(cc_cookie_join(cc_test_pool, a, 0, mid, keep_not_pk, &calls, &dropped), "a=1");
    CHECK_INT(dropped, 1);
    CHECK_STR(cc_cookie_join(cc_test_pool, a, mid, a->nelts, keep_not_pk, &calls, &dropped),
              "b=3; c = 5");
    CHECK_INT(dropped, 1);
    CHECK_INT(calls, 5);
    CHECK(cc_cookie_join(cc_test_pool, a, 0, 1, keep_not_pk, &calls, &dropped) == NULL);
    CHECK_INT(dropped, 0);
    CHECK_STR(cc_cookie_join(cc_test_pool, a, 1, 2, keep_not_pk, &calls, &dropped), "");
    CHECK(cc_cookie_join(cc_test_pool, a, 2, 2, keep_not_pk, &calls, &dropped) == NULL);
    /* More pairs than the join keeps on its stack. */
    {
        const char *in = "", *want = "";
        for (int i = 0; i < 50; i++) {
            in = apr_psprintf(cc_test_pool, "%s%sc%d=%d; _pk_%d=x", in, i ? "; " : "", i, i, i);
            want = apr_psprintf(cc_test_pool, "%s%sc%d=%d", want, i ? "; " : "", i, i);
        }
        CHECK_STR(cc_cookie_header_filter(cc_test_pool, in, keep_not_pk, &calls, &dropped), want);
        CHECK_INT(dropped, 50);
    }
}

static void test_header_filter(void)
{
    int calls = 0, dropped;
    const char *in = "csrftoken=a; _pk_id.1=x;  lang=fr";

    CHECK_STR(cc_cookie_header_filter(cc_test_pool, in, keep_not_pk, &calls, &dropped),
              "csrftoken=a; lang=fr");
    CHECK_INT(dropped, 1);
    CHECK_INT(calls, 3);
    CHECK(cc_cookie_header_filter(cc_test_pool, "a=1;b=2", keep_not_pk, &calls, &dropped)
          != NULL);
    CHECK_INT(dropped, 0);
    CHECK_STR(cc_cookie_header_filter(cc_test_pool, "_pk_a=1; _pk_b=2", keep_not_pk, &calls,
                                      &dropped), "");
    CHECK_INT(dropped, 2);
    /* Unchanged headers come back as they were, spacing included. */
    CHECK_STR(cc_cookie_header_filter(cc_test_pool, "a=1;b=2", keep_not_pk, &calls, &dropped),
              "a=1;b=2");
}

static void test_expiry(void)
{
    CHECK_STR(cc_cookie_expiry(cc_test_pool, "_pk_id.1", NULL, NULL, 0),
              "_pk_id.1=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/");
    CHECK_STR(cc_cookie_expiry(cc_test_pool, "__Secure-x", "shop.test", "/app", 1),
              "__Secure-x=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app; "
              "Domain=shop.test; Secure");
}

static apr_int64_t date(const char *s)
{
    apr_int64_t t = -12345;

    return cc_cookie_date_parse(s, &t) ? -1 : t;
}

static void test_cookie_date(void)
{
    /* IMF-fixdate, RFC 850 with two-digit year, asctime, and what browsers also take. */
    CHECK_INT(date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    CHECK_INT(date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    CHECK_INT(date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    CHECK_INT(date("Sun Nov  6 08:49:37 1994"), 784111777);
    CHECK_INT(date("Wed, 21-Oct-2026 07:28:00 GMT"), 1792567680);
    CHECK_INT(date("21 October 2026 7:28:0"), 1792567680);
    CHECK_INT(date("Sat, 29 Feb 2028 00:00:00 GMT"), 1835395200);
    CHECK_INT(date("Fri, 31 Dec 9999 23:59:59 GMT"), APR_INT64_C(253402300799));
    CHECK_INT(date("Tue, 01 Jan 69 00:00:00 GMT"), 3124224000LL);    /* 69 -> 2069 */
    /* a browser ignores these */
    CHECK_INT(date(""), -1);
    CHECK_INT(date("tomorrow"), -1);
    CHECK_INT(date("Thu, 01 Jan 1970"), -1);                /* no time */
    CHECK_INT(date("Thu, 32 Jan 1970 00:00:00"), -1);
    CHECK_INT(date("Thu, 30 Feb 2026 00:00:00"), -1);
    CHECK_INT(date("Sun, 29 Feb 2026 00:00:00"), -1);       /* not a leap year */
    CHECK_INT(date("Thu, 01 Jan 1600 00:00:00"), -1);
    CHECK_INT(date("Thu, 01 Jan 2026 24:00:00"), -1);
    CHECK_INT(date("Thu, 01 Foo 2026 10:00:00"), -1);
    CHECK_INT(date("Thu, 001 Jan 2026 10:00:00"), -1);      /* three-digit day */
}

#define NOW APR_INT64_C(1764380000)                        /* 2025-11-29T01:33:20Z */

static void test_clamp(void)
{
    const char *h;

    /* Max-Age above the retention is rewritten, the rest byte for byte */
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "_pk_id.1=a; Path=/; Max-Age=63072000; Secure",
                                  33696000, NOW),
              "_pk_id.1=a; Path=/; Max-Age=33696000; Secure");
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "a=b;max-age=999999;HttpOnly", 86400, NOW),
              "a=b;max-age=86400;HttpOnly");
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "a=b; MAX-AGE = 999999 ; x", 86400, NOW),
              "a=b; MAX-AGE = 86400 ; x");
    /* within the retention, deletions, and what a browser ignores: unchanged, same pointer */
    h = "a=b; Max-Age=100";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 86400, NOW) == h);
    h = "a=b; Max-Age=0";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 0, NOW) == h);
    h = "a=b; Max-Age=-5";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
    h = "a=b; Max-Age=12x";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
    h = "a=b; Max-Age=";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
    h = "a=b";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
    h = "a=b; Max-Age=999999";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, -1, NOW) == h);  /* retention not stated */
    h = "a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 0, NOW) == h);
    h = "a=b; Expires=someday";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
    /* saturating: a 30-digit Max-Age is still "too long" */
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "a=b; Max-Age=999999999999999999999999999999",
                                  60, NOW), "a=b; Max-Age=60");
    /* Expires later than now + retention becomes that date */
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "a=b; Expires=Fri, 31 Dec 9999 23:59:59 GMT; "
                                  "Path=/", 86400, NOW),
              "a=b; Expires=Sun, 30 Nov 2025 01:33:20 GMT; Path=/");
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "a=b; expires=Sunday, 06-Nov-39 08:49:37 GMT",
                                  86400, NOW), "a=b; expires=Sun, 30 Nov 2025 01:33:20 GMT");
    h = "a=b; Expires=Sun, 30 Nov 2025 01:00:00 GMT";    /* within a day */
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 86400, NOW) == h);
    /* both, and several Max-Age (browsers take the last) */
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "a=b; Max-Age=5; Max-Age=999999; Expires=Fri, "
                                  "31 Dec 9999 23:59:59 GMT", 3600, NOW),
              "a=b; Max-Age=5; Max-Age=3600; Expires=Sat, 29 Nov 2025 02:33:20 GMT");
    /* session rows lose both attributes */
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "sessionid=s; Max-Age=86400; Path=/; Expires=Fri,"
                                  " 31 Dec 9999 23:59:59 GMT; HttpOnly", 0, NOW),
              "sessionid=s; Path=/; HttpOnly");
    CHECK_STR(cc_set_cookie_clamp(cc_test_pool, "s=1;Max-Age=10", 0, NOW), "s=1");
    /* every attribute rewritten, many of them (found by fuzz_set_cookie: the parts array) */
    {
        const char *in = "a=b", *want = "a=b";
        int i;
        for (i = 0; i < 100; i++) {
            in = apr_pstrcat(cc_test_pool, in, ";max-age=99999;;Expires=Fri, 31 Dec 9999 "
                             "23:59:59 GMT", NULL);
            want = apr_pstrcat(cc_test_pool, want, ";max-age=60;;Expires=Sat, 29 Nov 2025 "
                               "01:34:20 GMT", NULL);
        }
        CHECK_STR(cc_set_cookie_clamp(cc_test_pool, in, 60, NOW), want);
    }
    /* a value with '=' and an attribute-looking value are not attributes */
    h = "a=max-age=99999999; Path=/";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
    h = "a=b; Path=/max-age=1";
    CHECK(cc_set_cookie_clamp(cc_test_pool, h, 10, NOW) == h);
}

static void test_needs_secure(void)
{
    CHECK_INT(cc_cookie_needs_secure("__Host-cc"), 1);
    CHECK_INT(cc_cookie_needs_secure("__Secure-cc"), 1);
    CHECK_INT(cc_cookie_needs_secure("__host-cc"), 1);         /* browsers ignore the case */
    CHECK_INT(cc_cookie_needs_secure("__SECURE-x"), 1);
    CHECK_INT(cc_cookie_needs_secure("__Host-"), 1);
    CHECK_INT(cc_cookie_needs_secure("cookieconsent"), 0);
    CHECK_INT(cc_cookie_needs_secure("__Host"), 0);
    CHECK_INT(cc_cookie_needs_secure("_Host-cc"), 0);
    CHECK_INT(cc_cookie_needs_secure("x__Secure-cc"), 0);
    CHECK_INT(cc_cookie_needs_secure(""), 0);
    CHECK_INT(cc_cookie_needs_secure(NULL), 0);
}

const cc_test_case cc_cookie_tests[] = {
    {"cookie_basic", test_cookie_basic},
    {"cookie_edges", test_cookie_edges},
    {"cookie_merged_by_httpd", test_cookie_merged_by_httpd},
    {"cookie_many_headers", test_cookie_many_headers},
    {"set_cookie", test_set_cookie},
    {"header_filter", test_header_filter},
    {"set_cookie_name", test_set_cookie_name},
    {"set_cookie_controls", test_set_cookie_controls},
    {"cookie_join", test_cookie_join},
    {"expiry", test_expiry},
    {"cookie_date", test_cookie_date},
    {"clamp", test_clamp},
    {"needs_secure", test_needs_secure},
    {NULL, NULL}
};

/* test_cookie.c - Cookie and Set-Cookie parsing at every edge. */
#include "cc_test.h"
#include "cc_cookie.h"

#include <apr_tables.h>

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
    {"expiry", test_expiry},
    {"needs_secure", test_needs_secure},
    {NULL, NULL}
};

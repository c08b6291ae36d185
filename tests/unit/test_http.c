/* test_http.c - media types, entity-tags of injected pages, If-None-Match, URL prefixes. */
#include "cc_test.h"
#include "cc_http.h"

static void test_media_type(void)
{
    CHECK(cc_http_media_type_is("text/html", "text/html"));
    CHECK(cc_http_media_type_is("TEXT/HTML; charset=utf-8", "text/html"));
    CHECK(cc_http_media_type_is("text/html ;charset=utf-8", "text/html"));
    CHECK(cc_http_media_type_is("text/html\t; x", "text/html"));
    CHECK(!cc_http_media_type_is("text/htmlx", "text/html"));
    CHECK(!cc_http_media_type_is("application/xhtml+xml", "text/html"));
    CHECK(!cc_http_media_type_is("text/htm", "text/html"));
    CHECK(!cc_http_media_type_is(NULL, "text/html"));
    CHECK(!cc_http_media_type_is("", "text/html"));
}

static void test_charset(void)
{
    CHECK(cc_http_charset_ascii("text/html"));
    CHECK(cc_http_charset_ascii("text/html; charset=utf-8"));
    CHECK(cc_http_charset_ascii("text/html; charset=ISO-8859-1"));
    CHECK(cc_http_charset_ascii(NULL));
    CHECK(!cc_http_charset_ascii("text/html; charset=utf-16"));
    CHECK(!cc_http_charset_ascii("text/html;charset=UTF-16LE"));
    CHECK(!cc_http_charset_ascii("text/html; charset=\"utf-32\""));
    CHECK(!cc_http_charset_ascii("text/html; q=1; charset=ucs-2"));
    CHECK(!cc_http_charset_ascii("text/html; charset=UCS-4"));
    /* "charset" must be the parameter's name, not a part of another value */
    CHECK(cc_http_charset_ascii("text/html; x=\"y\"; boundary=charset=utf-16x"));
}

static void test_state_etag(void)
{
    CHECK_STR(cc_http_state_etag(cc_test_pool, "\"abc-123\"", "0a1b2c3d"), "W/\"abc-123-cc0a1b2c3d\"");
    CHECK_STR(cc_http_state_etag(cc_test_pool, "W/\"abc\"", "0a1b2c3d"), "W/\"abc-cc0a1b2c3d\"");
    CHECK_STR(cc_http_state_etag(cc_test_pool, "unquoted", "0a1b2c3d"), "W/\"unquoted-cc0a1b2c3d\"");
    CHECK_STR(cc_http_state_etag(cc_test_pool, "\"", "0a1b2c3d"), "W/\"\"-cc0a1b2c3d\"");
}

static void test_rewrite_inm(void)
{
    int hit;

    hit = 0;
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "W/\"abc-cc0a1b2c3d\"", "0a1b2c3d", &hit),
              "W/\"abc\"");
    CHECK(hit);
    hit = 0;     /* another state, and the file's own tag: both dropped */
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "W/\"abc-ccffffffff\", \"abc\"", "0a1b2c3d", &hit),
              "");
    CHECK(!hit);
    hit = 0;
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "\"x\" , W/\"a-cc0a1b2c3d\" ,*", "0a1b2c3d", &hit),
              "W/\"a\", *");
    CHECK(hit);
    hit = 0;
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "*", "0a1b2c3d", &hit), "*");
    CHECK(hit);
    hit = 0;     /* a longer or shorter state is another state */
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "W/\"a-cc0a1b2c3d0\"", "0a1b2c3d", &hit), "");
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "W/\"a-cc0a1b2c3\"", "0a1b2c3d", &hit), "");
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, "", "0a1b2c3d", &hit), "");
    CHECK_STR(cc_http_rewrite_inm(cc_test_pool, " , ,", "0a1b2c3d", &hit), "");
    CHECK(!hit);
}

static void test_under(void)
{
    CHECK_STR(cc_http_under("/cookieconsent", "/cookieconsent"), "");
    CHECK_STR(cc_http_under("/cookieconsent/state", "/cookieconsent"), "/state");
    CHECK(cc_http_under("/cookieconsentx", "/cookieconsent") == NULL);
    CHECK(cc_http_under("/cookie", "/cookieconsent") == NULL);
    CHECK(cc_http_under(NULL, "/cookieconsent") == NULL);
    CHECK_STR(cc_http_under("/a/b", "/a"), "/b");
}

const cc_test_case cc_http_tests[] = {
    {"http_media_type", test_media_type},
    {"http_charset", test_charset},
    {"http_state_etag", test_state_etag},
    {"http_rewrite_inm", test_rewrite_inm},
    {"http_under", test_under},
    {NULL, NULL}
};

/* test_form.c - the consent form, the return path, the same-origin check. */
#include "cc_test.h"
#include "cc_form.h"
#include "cc_decision.h"

#include <apr_strings.h>

static apr_array_header_t *form(const char *body, const char **err)
{
    apr_array_header_t *f;

    *err = cc_form_parse(cc_test_pool, body, strlen(body), &f);
    return f;
}

static void test_form_parse(void)
{
    const char *err;
    apr_array_header_t *f;

    f = form("action=save&category=statistical&category=marketing&return=%2Fa%3Fb%3D1+2", &err);
    CHECK(err == NULL);
    CHECK_INT(f->nelts, 4);
    CHECK_STR(cc_form_get(f, "action"), "save");
    CHECK_STR(cc_form_get(f, "category"), "statistical");
    CHECK_STR(cc_form_get(f, "return"), "/a?b=1 2");
    CHECK(cc_form_get(f, "missing") == NULL);

    f = form("", &err);
    CHECK(err == NULL && f->nelts == 0);
    f = form("&&a&=b&", &err);
    CHECK(err == NULL);
    CHECK_STR(cc_form_get(f, "a"), "");
    CHECK_STR(cc_form_get(f, ""), "b");
    f = form("a=%zz", &err);
    CHECK(err != NULL);
    f = form("a=%4", &err);
    CHECK(err != NULL);
    f = form("a=%00", &err);
    CHECK(err != NULL);
    f = form("%41=%42", &err);
    CHECK_STR(cc_form_get(f, "A"), "B");
    CHECK(cc_form_parse(cc_test_pool, "a\0b", 3, &f) != NULL);
}

static void test_form_limits(void)
{
    const char *err, *body = "";
    int i;

    for (i = 0; i < CC_FORM_MAX_FIELDS; i++) {
        body = apr_pstrcat(cc_test_pool, body, "category=x&", NULL);
    }
    form(body, &err);
    CHECK(err == NULL);
    form(apr_pstrcat(cc_test_pool, body, "one=more", NULL), &err);
    CHECK(err != NULL);
}

static void test_return_path(void)
{
    CHECK_STR(cc_return_path("/"), "/");
    CHECK_STR(cc_return_path("/shop/cart?x=1#top"), "/shop/cart?x=1#top");
    CHECK_STR(cc_return_path(NULL), "/");
    CHECK_STR(cc_return_path(""), "/");
    CHECK_STR(cc_return_path("//evil.test"), "/");
    CHECK_STR(cc_return_path("/\\evil.test"), "/");
    CHECK_STR(cc_return_path("https://evil.test/"), "/");
    CHECK_STR(cc_return_path("javascript:alert(1)"), "/");
    CHECK_STR(cc_return_path("evil.test"), "/");
    CHECK_STR(cc_return_path("/a\r\nSet-Cookie: x=1"), "/");
    CHECK_STR(cc_return_path("/a b"), "/");
    CHECK_STR(cc_return_path("/a\\b"), "/");
    CHECK_STR(cc_return_path("/\t/evil.test"), "/");
}

static void test_cross_site(void)
{
    CHECK(!cc_cross_site(NULL, NULL, "http", "shop.test"));
    CHECK(!cc_cross_site("http://shop.test", NULL, "http", "shop.test"));
    CHECK(!cc_cross_site("http://SHOP.test", "same-origin", "http", "shop.test"));
    CHECK(!cc_cross_site("http://127.0.0.1:8080", NULL, "http", "127.0.0.1:8080"));
    CHECK(!cc_cross_site("http://shop.test", NULL, "http", "shop.test:80"));
    CHECK(!cc_cross_site("https://shop.test:443", NULL, "https", "shop.test"));
    CHECK(!cc_cross_site(NULL, "same-site", "http", "shop.test"));
    CHECK(!cc_cross_site(NULL, "none", "http", "shop.test"));
    CHECK(cc_cross_site(NULL, "cross-site", "http", "shop.test"));
    CHECK(cc_cross_site("http://shop.test", "cross-site", "http", "shop.test"));
    CHECK(cc_cross_site("http://evil.test", NULL, "http", "shop.test"));
    CHECK(cc_cross_site("https://shop.test", NULL, "http", "shop.test"));
    CHECK(cc_cross_site("http://shop.test:8080", NULL, "http", "shop.test"));
    CHECK(cc_cross_site("http://shop.test.evil", NULL, "http", "shop.test"));
    CHECK(cc_cross_site("null", NULL, "http", "shop.test"));
    CHECK(cc_cross_site("http://shop.test", NULL, "http", NULL));
}

static apr_int64_t choice(const char *body, apr_uint32_t allowed, int decided)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    apr_array_header_t *fields;
    cc_decision_t now;

    memset(&now, 0, sizeof(now));
    now.decided = decided;
    now.allowed = d->required_mask | allowed;
    if (cc_form_parse(cc_test_pool, body, strlen(body), &fields)) {
        return -2;
    }
    return cc_form_choice(d, &now, fields);
}

static void test_form_choice(void)
{
    /* statistical = 2, marketing = 4 (cc_test_decl) */
    CHECK_INT(choice("action=accept-all", 0, 0), 6);
    CHECK_INT(choice("action=reject-all&category=statistical", 6, 1), 0);
    CHECK_INT(choice("action=save&category=statistical", 0, 0), 2);
    CHECK_INT(choice("action=save&category=statistical&category=marketing", 0, 0), 6);
    CHECK_INT(choice("action=save&category=necessary&category=nope", 0, 0), 0);
    CHECK_INT(choice("action=save", 6, 1), 0);                  /* save: exactly what is named */
    CHECK_INT(choice("action=allow&category=marketing", 2, 1), 6);  /* allow: added */
    CHECK_INT(choice("action=allow&category=marketing", 2, 0), 4);  /* undecided: that one only */
    CHECK_INT(choice("action=allow", 2, 1), 2);
    CHECK_INT(choice("action=other", 0, 0), -1);
    CHECK_INT(choice("category=statistical", 0, 0), -1);
    CHECK_INT(choice("action=ACCEPT-ALL", 0, 0), -1);
}

const cc_test_case cc_form_tests[] = {
    {"form_choice", test_form_choice},
    {"form_parse", test_form_parse},
    {"form_limits", test_form_limits},
    {"return_path", test_return_path},
    {"cross_site", test_cross_site},
    {NULL, NULL}
};

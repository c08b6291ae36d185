/* test_decl.c - declarations: validation, fingerprint, classification, expiry variants. */
#include "cc_test.h"
#include "cc_decl.h"

#include <apr_strings.h>
#include <string.h>

static void test_decl_classify(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const cc_cookie_decl_t *row;

    CHECK_INT(cc_decl_classify(d, "csrftoken", &row), 1u << 0);
    CHECK_STR(row->label, "Session");
    CHECK_INT(cc_decl_classify(d, "_pk_id.1.abcd", &row), 1u << 1);
    CHECK_STR(row->label, "Piwik");
    CHECK_INT(cc_decl_classify(d, "ad_x", &row), 1u << 2);
    CHECK_INT(cc_decl_classify(d, "tracker", &row), 0);
    CHECK(row == NULL);
    CHECK_INT(cc_decl_classify(d, "shared_a", &row), 1u << 1);
    CHECK_INT(cc_decl_classify(d, "shared_x1", &row), (1u << 1) | (1u << 2));
    CHECK_INT(cc_decl_classify(d, "", &row), 0);
    CHECK_INT(cc_decl_category_index(d, "marketing"), 2);
    CHECK_INT(cc_decl_category_index(d, "nope"), -1);
    CHECK_INT(d->required_mask, 1);
    CHECK_INT(d->optional_mask, 6);
}

/* The compiled lookup (hash of literal names + wildcard list) answers as the loop over rows. */
static void test_decl_classify_compiled(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool), loop;
    const char *names[] = {"csrftoken", "sessionid", "_pk_id.1.abcd", "_pk_ses", "ad_x", "ad_",
                           "shared_a", "shared_x1", "shared_x", "tracker", "", "_pk_id", "exact",
                           "early", "earLy", "exact2", "x", "ad_exact", NULL};
    const cc_cookie_decl_t *r1, *r2;
    int i;

    /* A literal name also listed in a later row of another category, and one that an earlier
     * row's pattern already covers. */
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(cc_test_pool, "Late", "necessary", "csrftoken exact2", NULL);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(cc_test_pool, "Late2", "statistical", "ad_exact exact", NULL);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(cc_test_pool, "Early", "marketing", "ear?y", NULL);
    /* Patterns around their literal prefix (compiled: prefix compared first, "p*" alone) */
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(cc_test_pool, "Mid", "statistical", "md*x m?d_* *_e dx*d*e mm* d", NULL);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(cc_test_pool, "Mid2", "marketing", "mdx* e?_* xd", NULL);
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);
    loop = *d;
    loop.exact = NULL;
    for (i = 0; names[i]; i++) {
        apr_uint32_t a = cc_decl_classify(d, names[i], &r1);
        apr_uint32_t b = cc_decl_classify(&loop, names[i], &r2);
        CHECK_INT(a, b);
        CHECK(r1 == r2);
    }
    /* every name of up to 6 bytes over "mdx_e" */
    {
        static const char abc[] = "mdx_e";
        char name[7];
        int len, k, n, total;

        for (len = 0; len <= 6; len++) {
            for (total = 1, k = 0; k < len; k++) {
                total *= 5;
            }
            for (n = 0; n < total; n++) {
                int v = n;
                for (k = 0; k < len; k++, v /= 5) {
                    name[k] = abc[v % 5];
                }
                name[len] = '\0';
                if (cc_decl_classify(d, name, &r1) != cc_decl_classify(&loop, name, &r2)
                    || r1 != r2) {
                    CHECK_STR(name, "(classified as the loop over rows)");
                }
            }
        }
    }
    CHECK_INT(cc_decl_classify(d, "csrftoken", &r1), 1u << 0);
    CHECK(r1 && !strcmp(r1->label, "Session"));
    CHECK_INT(cc_decl_classify(d, "ad_exact", &r1), (1u << 1) | (1u << 2));
    CHECK(r1 && !strcmp(r1->label, "Ads"));
    CHECK_INT(cc_decl_classify(d, "exact", &r1), 1u << 1);
    CHECK(r1 && !strcmp(r1->label, "Late2"));
    CHECK_INT(cc_decl_classify(d, "early", &r1), 1u << 2);
    CHECK(r1 && !strcmp(r1->label, "Early"));
}

static void test_decl_category_names(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool), loop;
    apr_uint32_t m;

    loop = *d;
    loop.cat_lists = NULL;
    for (m = 0; m < 8; m++) {
        CHECK_STR(cc_decl_category_names(cc_test_pool, d, m),
                  cc_decl_category_names(cc_test_pool, &loop, m));
    }
    CHECK_STR(cc_decl_category_names(cc_test_pool, d, 5), "necessary marketing");
    CHECK_STR(cc_decl_category_names(cc_test_pool, d, 0), "");
    CHECK_STR(cc_decl_category_names(cc_test_pool, d, 0xffffffffu),
              "necessary statistical marketing");
}

static void test_decl_fingerprint(void)
{
    cc_decl_t *a = cc_test_decl(cc_test_pool), *b = cc_test_decl(cc_test_pool);
    cc_cookie_decl_t *row;
    char before[CC_FINGERPRINT_LEN + 1];

    CHECK_INT(strlen(a->fingerprint), CC_FINGERPRINT_LEN);
    CHECK_STR(a->fingerprint, b->fingerprint);
    memcpy(before, b->fingerprint, sizeof(before));

    b->revision = "2";                                   /* a revision bump changes it */
    CHECK(cc_decl_finish(cc_test_pool, b) == NULL);
    CHECK(strcmp(before, b->fingerprint) != 0);

    b = cc_test_decl(cc_test_pool);                      /* a new name changes it */
    row = APR_ARRAY_IDX(b->cookies, 1, cc_cookie_decl_t *);
    APR_ARRAY_PUSH(row->names, const char *) = "_pk_ref*";
    CHECK(cc_decl_finish(cc_test_pool, b) == NULL);
    CHECK(strcmp(before, b->fingerprint) != 0);

    b = cc_test_decl(cc_test_pool);                      /* a new domain changes it */
    row = APR_ARRAY_IDX(b->cookies, 1, cc_cookie_decl_t *);
    APR_ARRAY_PUSH(row->domains, const char *) = "other.test";
    CHECK(cc_decl_finish(cc_test_pool, b) == NULL);
    CHECK(strcmp(before, b->fingerprint) != 0);

    b = cc_test_decl(cc_test_pool);                      /* reworded texts do not */
    row = APR_ARRAY_IDX(b->cookies, 1, cc_cookie_decl_t *);
    row->label = "Matomo";
    CHECK(cc_decl_finish(cc_test_pool, b) == NULL);
    CHECK_STR(b->fingerprint, before);
}

static void test_decl_errors(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *err;
    cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, 1, cc_cookie_decl_t *);

    row->category = "statistics";
    err = cc_decl_finish(cc_test_pool, d);
    CHECK(err && strstr(err, "unknown category \"statistics\"")
          && strstr(err, "declared: necessary, statistical, marketing")
          && strstr(err, "CookieConsentCookie \"Piwik\""));

    d = cc_test_decl(cc_test_pool);
    row = APR_ARRAY_IDX(d->cookies, 2, cc_cookie_decl_t *);
    APR_ARRAY_PUSH(row->names, const char *) = "_pk_ses*";   /* already in statistical */
    err = cc_decl_finish(cc_test_pool, d);
    CHECK(err && strstr(err, "\"_pk_ses*\" is already declared in category \"statistical\""));

    d = cc_test_decl(cc_test_pool);
    APR_ARRAY_IDX(d->categories, 0, cc_category_t *)->required = 0;
    err = cc_decl_finish(cc_test_pool, d);
    CHECK(err && strstr(err, "no required category"));
}

static apr_array_header_t *cc_list(const char *a, const char *b)
{
    apr_array_header_t *l = apr_array_make(cc_test_pool, 2, sizeof(const char *));

    APR_ARRAY_PUSH(l, const char *) = a;
    if (b) {
        APR_ARRAY_PUSH(l, const char *) = b;
    }
    return l;
}

static void test_decl_gated_mask(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_cookie_decl_t *piwik = APR_ARRAY_IDX(d->cookies, 1, cc_cookie_decl_t *);
    cc_cookie_decl_t *ads = APR_ARRAY_IDX(d->cookies, 2, cc_cookie_decl_t *);
    cc_cookie_decl_t *both2 = APR_ARRAY_IDX(d->cookies, 4, cc_cookie_decl_t *);
    cc_cookie_decl_t *session = APR_ARRAY_IDX(d->cookies, 0, cc_cookie_decl_t *);

    CHECK_INT(d->gated_mask, 0);                          /* no Block, no BlockInline */

    piwik->block = cc_list("https://piwik.test/*", "//piwik.test/*");
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);
    CHECK_INT(d->gated_mask, 1u << 1);                    /* statistical */

    ads->block_inline = cc_list("fbq(", NULL);            /* BlockInline alone gates too */
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);
    CHECK_INT(d->gated_mask, (1u << 1) | (1u << 2));

    piwik->block = NULL;                                  /* marketing stays gated by Ads */
    both2->block = cc_list("https://ads.test/*", NULL);
    both2->block_inline = cc_list("adsbygoogle", NULL);
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);
    CHECK_INT(d->gated_mask, 1u << 2);

    ads->block_inline = apr_array_make(cc_test_pool, 0, sizeof(const char *));
    both2->block = both2->block_inline = NULL;            /* empty lists gate nothing */
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);
    CHECK_INT(d->gated_mask, 0);

    session->block = cc_list("https://login.test/*", NULL);  /* a required row: its bit */
    CHECK(cc_decl_finish(cc_test_pool, d) == NULL);
    CHECK_INT(d->gated_mask, 1u << 0);
}

static void test_domain_match(void)
{
    CHECK(cc_domain_match("shop.test", "shop.test"));
    CHECK(cc_domain_match("www.shop.test", "shop.test"));
    CHECK(cc_domain_match("WWW.Shop.Test", "shop.test"));
    CHECK(!cc_domain_match("evilshop.test", "shop.test"));
    CHECK(!cc_domain_match("shop.test.evil", "shop.test"));
    CHECK(!cc_domain_match("test", "shop.test"));
    CHECK(!cc_domain_match("x", ""));
}

static void test_decl_expiries(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const cc_cookie_decl_t *row;
    apr_array_header_t *e;

    cc_decl_classify(d, "_pk_id.1", &row);
    e = cc_decl_expiries(cc_test_pool, row, "_pk_id.1", "www.shop.test", 0);
    CHECK_INT(e->nelts, 2);
    CHECK(strstr(APR_ARRAY_IDX(e, 0, const char *), "Domain=") == NULL);
    CHECK(strstr(APR_ARRAY_IDX(e, 1, const char *), "; Domain=shop.test") != NULL);

    e = cc_decl_expiries(cc_test_pool, row, "_pk_id.1", "127.0.0.1", 0);
    CHECK_INT(e->nelts, 1);                 /* the host is not in shop.test */

    e = cc_decl_expiries(cc_test_pool, NULL, "tracker", "www.shop.test", 0);
    CHECK_INT(e->nelts, 1);
    CHECK(strstr(APR_ARRAY_IDX(e, 0, const char *), "Secure") == NULL);

    e = cc_decl_expiries(cc_test_pool, row, "__Host-x", "www.shop.test", 0);
    CHECK_INT(e->nelts, 1);                 /* __Host- has no Domain variant */
    CHECK(strstr(APR_ARRAY_IDX(e, 0, const char *), "; Secure") != NULL);

    e = cc_decl_expiries(cc_test_pool, NULL, "__Secure-x", "h", 0);
    CHECK(strstr(APR_ARRAY_IDX(e, 0, const char *), "; Secure") != NULL);

    e = cc_decl_expiries(cc_test_pool, NULL, "plain", "h", 1);
    CHECK(strstr(APR_ARRAY_IDX(e, 0, const char *), "; Secure") != NULL);
}

static void test_text_pick(void)
{
    apr_array_header_t *t = apr_array_make(cc_test_pool, 2, sizeof(cc_text_t));
    cc_text_t *x;

    CHECK(cc_text_pick(t, "en") == NULL);
    x = apr_array_push(t);
    x->lang = "fr", x->text = "Bonjour";
    CHECK_STR(cc_text_pick(t, "en"), "Bonjour");      /* only one: take it */
    x = apr_array_push(t);
    x->lang = "", x->text = "Hello";
    CHECK_STR(cc_text_pick(t, "en"), "Hello");
    CHECK_STR(cc_text_pick(t, "FR"), "Bonjour");
    CHECK_STR(cc_text_pick(t, NULL), "Hello");
}

const cc_test_case cc_decl_tests[] = {
    {"decl_classify", test_decl_classify},
    {"decl_classify_compiled", test_decl_classify_compiled},
    {"decl_category_names", test_decl_category_names},
    {"decl_fingerprint", test_decl_fingerprint},
    {"decl_errors", test_decl_errors},
    {"decl_gated_mask", test_decl_gated_mask},
    {"domain_match", test_domain_match},
    {"decl_expiries", test_decl_expiries},
    {"text_pick", test_text_pick},
    {NULL, NULL}
};

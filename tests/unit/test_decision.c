/* test_decision.c - the decision and the verdict for each cookie. */
#include "cc_test.h"
#include "cc_decision.h"

#include <apr_strings.h>

#define NOW 1764380000
#define LIFE (180 * 86400)
#define ID "BBBBBBBBBBBBBBBBBBBBBB"
#define KEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SITE "www.example.com"

static const cc_mac_signer_t *sig(void)
{
    return cc_test_signer(cc_test_pool, KEY, SITE);
}

static void make(const cc_decl_t *d, const char *value, const char *gpc, int gpc_on,
                 cc_decision_t *dec)
{
    cc_decision_make(cc_test_pool, d, sig(), value, gpc, gpc_on, NOW, LIFE, dec);
}

static const char *encode(const cc_decl_t *d, apr_uint32_t accepted, apr_int64_t when,
                          const char *id)
{
    return cc_consent_encode(cc_test_pool, d, sig(), accepted, when, id);
}

/* A signed value for other declarations (fingerprint 000000000000). */
static const char *stale(const char *cats)
{
    const char *body = apr_pstrcat(cc_test_pool, "2.000000000000.1764380000." ID ".", cats, NULL);
    char mac[CC_MAC_TEXT_LEN + 1];

    cc_mac_text(&APR_ARRAY_IDX(sig()->keys, 0, cc_mac_key_t), SITE, body, strlen(body), mac);
    return apr_pstrcat(cc_test_pool, body, ".", mac, NULL);
}

static void test_decision_none(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;
    const cc_cookie_decl_t *row;

    make(d, NULL, NULL, 1, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.source, CC_SOURCE_NONE);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK_INT(cc_decision_cookie(d, &dec, "csrftoken", &row), CC_KEEP_REQUIRED);
    CHECK_INT(cc_decision_cookie(d, &dec, "_pk_id.1", &row), CC_REFUSE_CATEGORY);
    CHECK_INT(cc_decision_cookie(d, &dec, "tracker", &row), CC_REFUSE_UNDECLARED);
    CHECK_INT(cc_decision_cookie(d, &dec, "", &row), CC_REFUSE_UNDECLARED);
    CHECK_INT(cc_decision_cookie(d, &dec, "cookieconsent", &row), CC_KEEP_CONSENT);
    d->undeclared_allow = 1;
    CHECK_INT(cc_decision_cookie(d, &dec, "tracker", &row), CC_KEEP_UNDECLARED);
    CHECK_STR(cc_decision_categories(cc_test_pool, d, &dec, 1, " "), "necessary");
    CHECK_STR(cc_decision_categories(cc_test_pool, d, &dec, 0, " "), "statistical marketing");
}

static void test_decision_gpc(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;
    const char *v = encode(d, 6, NOW, ID);

    make(d, NULL, "1", 1, &dec);
    CHECK_INT(dec.source, CC_SOURCE_GPC);
    CHECK(!dec.decided);
    CHECK_INT(dec.allowed, d->required_mask);
    make(d, NULL, "1", 0, &dec);                  /* CookieConsentGPC Off */
    CHECK_INT(dec.source, CC_SOURCE_NONE);
    make(d, NULL, "1 ", 1, &dec);
    CHECK_INT(dec.source, CC_SOURCE_NONE);
    make(d, NULL, "0", 1, &dec);
    CHECK_INT(dec.source, CC_SOURCE_NONE);
    make(d, NULL, "true", 1, &dec);
    CHECK_INT(dec.source, CC_SOURCE_NONE);
    make(d, v, "1", 1, &dec);                     /* an explicit choice wins */
    CHECK_INT(dec.source, CC_SOURCE_BANNER);
    CHECK_INT(dec.allowed, 7);
}

static void test_decision_banner(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;
    const cc_cookie_decl_t *row;

    make(d, encode(d, 2, NOW - 10, ID), NULL, 1, &dec);
    CHECK(dec.decided);
    CHECK_INT(dec.source, CC_SOURCE_BANNER);
    CHECK_INT(dec.decided_at, NOW - 10);
    CHECK_STR(dec.consent_id, ID);
    CHECK_INT(cc_decision_cookie(d, &dec, "_pk_ses.1", &row), CC_KEEP_ACCEPTED);
    CHECK_INT(cc_decision_cookie(d, &dec, "ad_x", &row), CC_REFUSE_CATEGORY);
    CHECK_INT(cc_decision_cookie(d, &dec, "shared_a", &row), CC_KEEP_ACCEPTED);
    /* Declared in statistical and marketing: both must be allowed. */
    CHECK_INT(cc_decision_cookie(d, &dec, "shared_x1", &row), CC_REFUSE_CATEGORY);
    make(d, encode(d, 6, NOW, ID), NULL, 1, &dec);
    CHECK_INT(cc_decision_cookie(d, &dec, "shared_x1", &row), CC_KEEP_ACCEPTED);
}

static void test_decision_invalid_cookie(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;

    make(d, stale("statistical"), NULL, 1, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_STALE);
    CHECK_INT(dec.bad_mac, 0);
    CHECK_INT(dec.allowed, d->required_mask);
    make(d, encode(d, 6, NOW - LIFE - 100, ID), NULL, 1, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_EXPIRED);
    make(d, "junk", "1", 1, &dec);
    CHECK_INT(dec.cookie, CC_CONSENT_MALFORMED);
    CHECK_INT(dec.source, CC_SOURCE_GPC);
    CHECK_INT(dec.bad_mac, 0);
    /* a version 1 value: no decision, not counted as a forgery */
    make(d, apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID ".statistical",
                        NULL), NULL, 1, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_UNSIGNED);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK_INT(dec.bad_mac, 0);
    /* a value signed for another site: a forgery here */
    cc_decision_make(cc_test_pool, d, cc_test_signer(cc_test_pool, KEY, "other.example.com"),
                     encode(d, 6, NOW, ID), "1", 1, NOW, LIFE, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_BAD_MAC);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK_INT(dec.source, CC_SOURCE_GPC);
    CHECK_INT(dec.bad_mac, 1);
    CHECK(strstr(cc_decision_json(cc_test_pool, d, &dec, LIFE), "\"cookie\":\"bad-mac\""));
}

static void test_decision_chosen_and_json(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;
    const char *j;

    cc_decision_chosen(d, 2 | 1, NOW, ID, &dec);
    CHECK_INT(dec.allowed, 3);
    j = cc_decision_json(cc_test_pool, d, &dec, LIFE);
    CHECK_STR(j, "{\"decided\":true,\"source\":\"banner\",\"accepted\":[\"necessary\","
              "\"statistical\"],\"refused\":[\"marketing\"],\"fingerprint\":\"current\","
              "\"consent_id\":\"" ID "\",\"decided_at\":1764380000,\"cookie\":\"valid\","
              "\"lifetime\":15552000}");
    make(d, stale("-"), "1", 1, &dec);
    j = cc_decision_json(cc_test_pool, d, &dec, LIFE);
    CHECK(strstr(j, "\"decided\":false,\"source\":\"gpc\"") != NULL);
    CHECK(strstr(j, "\"fingerprint\":\"stale\",\"consent_id\":null,\"decided_at\":null") != NULL);
}

static void make_all(const cc_decl_t *d, const char *const *values, int n, cc_decision_t *dec)
{
    apr_array_header_t *a = apr_array_make(cc_test_pool, n, sizeof(const char *));
    int i;

    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(a, const char *) = values[i];
    }
    cc_decision_make_all(cc_test_pool, d, sig(), a, NULL, 1, NOW, LIFE, dec);
}

static void test_decision_duplicates(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;
    const char *stat = encode(d, 2, NOW - 100, ID);
    const char *stat2 = encode(d, 2, NOW - 10, "CCCCCCCCCCCCCCCCCCCCCC");
    const char *all = encode(d, 6, NOW - 50, ID);
    const char *none = encode(d, 0, NOW - 50, ID);
    const char *v[3];

    /* one value: as cc_decision_make */
    v[0] = stat;
    make_all(d, v, 1, &dec);
    CHECK(dec.decided);
    CHECK_INT(dec.allowed, d->required_mask | 2);
    make_all(d, v, 0, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_ABSENT);
    /* agreeing copies: decided, the latest gives time and id, in either order */
    v[0] = stat2, v[1] = stat;
    make_all(d, v, 2, &dec);
    CHECK(dec.decided);
    CHECK_INT(dec.decided_at, NOW - 10);
    CHECK_STR(dec.consent_id, "CCCCCCCCCCCCCCCCCCCCCC");
    v[0] = stat, v[1] = stat2;
    make_all(d, v, 2, &dec);
    CHECK_INT(dec.decided_at, NOW - 10);
    /* a malformed or stale copy beside a valid one does not undo it, before or after */
    v[0] = stat, v[1] = "garbage";
    make_all(d, v, 2, &dec);
    CHECK(dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_VALID);
    v[0] = stale("-"), v[1] = stat;
    make_all(d, v, 2, &dec);
    CHECK(dec.decided);
    /* only invalid ones: the last one's status */
    v[0] = "garbage", v[1] = stale("-");
    make_all(d, v, 2, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_STALE);
    /* disagreeing valid copies, in any order, whichever is newer: no decision, asked again */
    v[0] = all, v[1] = stat;
    make_all(d, v, 2, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_CONFLICT);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK(dec.consent_id == NULL);
    CHECK_STR(cc_consent_status_name(dec.cookie), "conflict");
    v[0] = stat, v[1] = none, v[2] = stat2;
    make_all(d, v, 3, &dec);
    CHECK_INT(dec.cookie, CC_CONSENT_CONFLICT);
    CHECK_INT(dec.allowed, d->required_mask);
    v[0] = none, v[1] = all;
    make_all(d, v, 2, &dec);
    CHECK_INT(dec.cookie, CC_CONSENT_CONFLICT);
}

/* A sibling subdomain sets a second consent cookie for the parent domain: forged (no key), it is
 * ignored, counted, and never turns the visitor's own choice into a conflict. */
static void test_decision_sibling_forgery(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_decision_t dec;
    const char *own = encode(d, 0, NOW - 100, ID);
    const char *forged = apr_pstrcat(cc_test_pool, "2.", d->fingerprint, ".", "1764380000."
                                     "CCCCCCCCCCCCCCCCCCCCCC.statistical+marketing."
                                     "sBUALhP4yb7qhxyUtwXvHw", NULL);
    const char *v[3];

    v[0] = own, v[1] = forged;
    make_all(d, v, 2, &dec);
    CHECK(dec.decided);
    CHECK_INT(dec.cookie, CC_CONSENT_VALID);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK_STR(dec.consent_id, ID);
    CHECK_INT(dec.bad_mac, 1);
    v[0] = forged, v[1] = own, v[2] = forged;
    make_all(d, v, 3, &dec);
    CHECK(dec.decided);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK_INT(dec.bad_mac, 2);
    /* the forgery alone grants nothing */
    v[0] = forged;
    make_all(d, v, 1, &dec);
    CHECK(!dec.decided);
    CHECK_INT(dec.allowed, d->required_mask);
    CHECK_INT(dec.cookie, CC_CONSENT_BAD_MAC);
    CHECK_INT(dec.bad_mac, 1);
    /* and the count survives a conflict of two real choices */
    v[0] = own, v[1] = encode(d, 6, NOW - 10, ID), v[2] = forged;
    make_all(d, v, 3, &dec);
    CHECK_INT(dec.cookie, CC_CONSENT_CONFLICT);
    CHECK_INT(dec.allowed, d->required_mask);
}

const cc_test_case cc_decision_tests[] = {
    {"decision_none", test_decision_none},
    {"decision_gpc", test_decision_gpc},
    {"decision_banner", test_decision_banner},
    {"decision_invalid_cookie", test_decision_invalid_cookie},
    {"decision_chosen_and_json", test_decision_chosen_and_json},
    {"decision_duplicates", test_decision_duplicates},
    {"decision_sibling_forgery", test_decision_sibling_forgery},
    {NULL, NULL}
};

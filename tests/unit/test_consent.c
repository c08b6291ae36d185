/* test_consent.c - the consent value: round trip, tampering, staleness, expiry. */
#include "cc_test.h"
#include "cc_consent.h"

#include <apr_strings.h>

#define NOW 1764380000
#define LIFE (180 * 86400)
#define ID "AAAAAAAAAAAAAAAAAAAAAA"

static cc_consent_status_e decode(const cc_decl_t *d, const char *v, cc_consent_t *c)
{
    return cc_consent_decode(d, v, NOW, LIFE, c);
}

static void test_consent_round_trip(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;
    const char *v;

    v = cc_consent_encode(cc_test_pool, d, 6, NOW, ID);
    CHECK_STR(v, apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID
                             ".statistical+marketing", NULL));
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 6);
    CHECK_INT(c.time, NOW);
    CHECK_STR(c.id, ID);

    v = cc_consent_encode(cc_test_pool, d, 0, NOW, ID);
    CHECK(strstr(v, "." ID ".-") != NULL);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 0);

    v = cc_consent_encode(cc_test_pool, d, 7, NOW, ID);   /* required bit is implied, dropped */
    CHECK(strstr(v, "necessary") == NULL);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 6);
}

static void test_consent_only_cookie_octets(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *v = cc_consent_encode(cc_test_pool, d, 6, NOW, ID);

    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        CHECK(c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
    }
}

static void test_consent_new_id(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *a, *b;
    cc_consent_t c;

    CHECK_INT(cc_consent_new_id(cc_test_pool, &a), APR_SUCCESS);
    CHECK_INT(cc_consent_new_id(cc_test_pool, &b), APR_SUCCESS);
    CHECK_INT(strlen(a), CC_CONSENT_ID_LEN);
    CHECK(strcmp(a, b) != 0);
    CHECK_INT(decode(d, cc_consent_encode(cc_test_pool, d, 2, NOW, a), &c), CC_CONSENT_VALID);
    /* base64url without padding: 21 characters of 6 bits, a last one of 2 bits (A, Q, g or w) */
    {
        int i, bad = 0;
        for (i = 0; i < 200; i++) {
            CHECK_INT(cc_consent_new_id(cc_test_pool, &a), APR_SUCCESS);
            bad += strlen(a) != CC_CONSENT_ID_LEN
                   || strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                      != CC_CONSENT_ID_LEN
                   || !strchr("AQgw", a[CC_CONSENT_ID_LEN - 1]);
        }
        CHECK_INT(bad, 0);
    }
}

static void test_consent_tampering(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *fp = d->fingerprint;
    cc_consent_t c;
    static const char *const bad[] = {
        "garbage", "1", "1.", "2.x", "1..1.a.b", "1.%s.1764380000." ID,
        "1.%s.1764380000." ID ".statistical.extra", "1.%s.1764380000." ID ".",
        "1.%s.1764380000." ID ".nope", "1.%s.1764380000." ID ".necessary",
        "1.%s.1764380000." ID ".statistical+statistical", "1.%s.1764380000." ID ".statistical+",
        "1.%s.1764380000." ID ".+statistical", "1.%s.-1764380000." ID ".-",
        "1.%s.01764380000." ID ".-", "1.%s.17643800x0." ID ".-", "1.%s.1764380000.short.-",
        "1.%s.1764380000.AAAAAAAAAAAAAAAAAAAA!A.-", "1.%s.1764380000.AAAAAAAAAAAAAAAAAAAAAAA.-",
        "1.%s.9999999999999." ID ".-", "1.%s..AAAAAAAAAAAAAAAAAAAAAA.-", NULL
    };
    int i;

    for (i = 0; bad[i]; i++) {
        const char *v = apr_psprintf(cc_test_pool, bad[i], fp);
        if (decode(d, v, &c) != CC_CONSENT_MALFORMED) {
            fprintf(stderr, "    accepted tampered value %s\n", v);
            CHECK(0);
        }
    }
    CHECK_INT(decode(d, "1.ABCDEF012345.1764380000." ID ".-", &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, "1.abcdef01234.1764380000." ID ".-", &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, NULL, &c), CC_CONSENT_ABSENT);
    CHECK_INT(decode(d, "", &c), CC_CONSENT_ABSENT);
    {
        char big[CC_CONSENT_MAX_LEN + 10];
        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        big[0] = '1', big[1] = '.';
        CHECK_INT(decode(d, big, &c), CC_CONSENT_MALFORMED);
    }
}

static void test_consent_stale_expired_future(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;
    const char *v;

    v = "1.000000000000.1764380000." ID ".statistical";
    CHECK_INT(decode(d, v, &c), CC_CONSENT_STALE);
    /* A stale value may name categories that no longer exist: still stale, not malformed. */
    CHECK_INT(decode(d, "1.000000000000.1764380000." ID ".gone", &c), CC_CONSENT_STALE);

    v = cc_consent_encode(cc_test_pool, d, 2, NOW - LIFE, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);        /* exactly the lifetime: still valid */
    v = cc_consent_encode(cc_test_pool, d, 2, NOW - LIFE - 1, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_EXPIRED);
    v = cc_consent_encode(cc_test_pool, d, 2, NOW + CC_CONSENT_SKEW, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    v = cc_consent_encode(cc_test_pool, d, 2, NOW + CC_CONSENT_SKEW + 1, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_FUTURE);
    CHECK_STR(cc_consent_status_name(CC_CONSENT_STALE), "stale");
}

static void test_consent_category_order(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;
    const char *v = apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID
                                ".marketing+statistical", NULL);

    /* Found by fuzz_consent: we write declaration order, but any order of known optional
     * categories reads as the same choice. */
    CHECK_INT(cc_consent_decode(d, v, NOW, LIFE, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 6);
    CHECK(strstr(cc_consent_encode(cc_test_pool, d, c.accepted, c.time, c.id),
                 ".statistical+marketing") != NULL);
}

const cc_test_case cc_consent_tests[] = {
    {"consent_category_order", test_consent_category_order},
    {"consent_round_trip", test_consent_round_trip},
    {"consent_only_cookie_octets", test_consent_only_cookie_octets},
    {"consent_new_id", test_consent_new_id},
    {"consent_tampering", test_consent_tampering},
    {"consent_stale_expired_future", test_consent_stale_expired_future},
    {NULL, NULL}
};

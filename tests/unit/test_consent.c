/* test_consent.c - the consent value (version 2, signed): round trip, every byte changed,
 * truncation, another virtual host, rotated keys, version 1, staleness, expiry. */
#include "cc_test.h"
#include "cc_consent.h"

#include <apr_strings.h>

#define NOW 1764380000
#define LIFE (180 * 86400)
#define ID "AAAAAAAAAAAAAAAAAAAAAA"
#define SITE "www.example.com"
#define KEY1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY2 "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="

static const cc_mac_signer_t *signer(void)
{
    return cc_test_signer(cc_test_pool, KEY1, SITE);
}

static cc_consent_status_e decode(const cc_decl_t *d, const char *v, cc_consent_t *c)
{
    return cc_consent_decode(d, signer(), v, NOW, LIFE, c);
}

static const char *encode(const cc_decl_t *d, apr_uint32_t accepted, apr_int64_t when,
                          const char *id)
{
    return cc_consent_encode(cc_test_pool, d, signer(), accepted, when, id);
}

/* body "." MAC: any text signed as the module signs, to reach the checks behind the MAC */
static const char *sign(const char *body)
{
    char mac[CC_MAC_TEXT_LEN + 1];

    cc_mac_text(&APR_ARRAY_IDX(signer()->keys, 0, cc_mac_key_t), SITE, body, strlen(body), mac);
    return apr_pstrcat(cc_test_pool, body, ".", mac, NULL);
}

static void test_consent_round_trip(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;
    const char *v, *body;

    v = encode(d, 6, NOW, ID);
    body = apr_pstrcat(cc_test_pool, "2.", d->fingerprint, ".1764380000." ID
                       ".statistical+marketing", NULL);
    CHECK_INT(strlen(v), strlen(body) + 1 + CC_MAC_TEXT_LEN);
    CHECK(!strncmp(v, body, strlen(body)) && v[strlen(body)] == '.');
    CHECK_STR(v, sign(body));
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 6);
    CHECK_INT(c.time, NOW);
    CHECK_STR(c.id, ID);

    v = encode(d, 0, NOW, ID);
    CHECK(strstr(v, "." ID ".-.") != NULL);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 0);

    v = encode(d, 7, NOW, ID);   /* required bit is implied, dropped */
    CHECK(strstr(v, "necessary") == NULL);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 6);

    /* without a key nothing is signed, and nothing verifies */
    CHECK(cc_consent_encode(cc_test_pool, d, NULL, 6, NOW, ID) == NULL);
    CHECK_INT(cc_consent_decode(d, NULL, encode(d, 6, NOW, ID), NOW, LIFE, &c),
              CC_CONSENT_BAD_MAC);
}

static void test_consent_only_cookie_octets(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    int round;

    for (round = 0; round < 50; round++) {
        const char *id, *v;
        CHECK_INT(cc_consent_new_id(cc_test_pool, &id), APR_SUCCESS);
        for (v = encode(d, 6, NOW + round, id); *v; v++) {
            unsigned char c = (unsigned char)*v;
            CHECK(c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\');
        }
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
    CHECK_INT(decode(d, encode(d, 2, NOW, a), &c), CC_CONSENT_VALID);
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

/* Every byte of a signed value replaced by each of the 255 other byte values: nothing is a
 * decision any more, whatever field the byte is in (the MAC's last character included). */
static void test_consent_every_byte_changed(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const cc_mac_signer_t *sig = signer();
    const char *v = encode(d, 2, NOW - 100, ID);
    apr_size_t len = strlen(v), i;
    char *w = apr_pstrdup(cc_test_pool, v);
    cc_consent_t c;
    int x, valid = 0, tried = 0, bad_mac = 0;

    for (i = 0; i < len; i++) {
        for (x = 1; x < 256; x++) {
            cc_consent_status_e st;
            w[i] = (char)(v[i] ^ x);
            st = cc_consent_decode(d, sig, w, NOW, LIFE, &c);
            tried++;
            if (st == CC_CONSENT_VALID) {
                fprintf(stderr, "    byte %d ^ 0x%02x still valid: %s\n", (int)i, x, w);
                valid++;
            }
            bad_mac += st == CC_CONSENT_BAD_MAC;
        }
        w[i] = v[i];
    }
    CHECK_INT(valid, 0);
    CHECK_INT(tried, 255 * (int)len);
    /* most changes keep the shape, so it is the MAC that refuses them */
    CHECK(bad_mac > 255 * (int)len / 2);
    CHECK_INT(decode(d, w, &c), CC_CONSENT_VALID);      /* and the original still is one */
}

static void test_consent_truncated(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *v = encode(d, 6, NOW, ID);
    apr_size_t len = strlen(v), i;
    cc_consent_t c;

    for (i = 0; i < len; i++) {
        char *cut = apr_pstrmemdup(cc_test_pool, v, i);
        cc_consent_status_e st = decode(d, cut, &c);
        if (st == CC_CONSENT_VALID) {
            fprintf(stderr, "    %d bytes still valid: %s\n", (int)i, cut);
            CHECK(0);
        }
        /* the value without its MAC, or without its last field, as another one */
        CHECK(st != CC_CONSENT_VALID && (i == 0 || st != CC_CONSENT_ABSENT));
    }
    /* and with something added */
    CHECK_INT(decode(d, apr_pstrcat(cc_test_pool, v, "A", NULL), &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, apr_pstrcat(cc_test_pool, v, ".", NULL), &c), CC_CONSENT_MALFORMED);
}

static void test_consent_other_vhost(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *v = encode(d, 6, NOW, ID);
    cc_consent_t c;

    /* the same key, the same declarations: a value written for www.example.com is worthless on
     * shop.example.com, or on a name that merely starts or ends like it */
    CHECK_INT(cc_consent_decode(d, cc_test_signer(cc_test_pool, KEY1, "shop.example.com"), v, NOW,
                                LIFE, &c), CC_CONSENT_BAD_MAC);
    CHECK_INT(cc_consent_decode(d, cc_test_signer(cc_test_pool, KEY1, "www.example.co"), v, NOW,
                                LIFE, &c), CC_CONSENT_BAD_MAC);
    CHECK_INT(cc_consent_decode(d, cc_test_signer(cc_test_pool, KEY1, ""), v, NOW, LIFE, &c),
              CC_CONSENT_BAD_MAC);
    CHECK_INT(cc_consent_decode(d, cc_test_signer(cc_test_pool, KEY1, SITE), v, NOW, LIFE, &c),
              CC_CONSENT_VALID);
    CHECK_STR(cc_consent_status_name(CC_CONSENT_BAD_MAC), "bad-mac");
}

static void test_consent_rotated_keys(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const cc_mac_signer_t *old = cc_test_signer(cc_test_pool, KEY1, SITE);
    const cc_mac_signer_t *both = cc_test_signer(cc_test_pool, KEY2 "\n" KEY1 "\n", SITE);
    const cc_mac_signer_t *only_new = cc_test_signer(cc_test_pool, KEY2, SITE);
    const char *before = cc_consent_encode(cc_test_pool, d, old, 2, NOW - 10, ID);
    const char *after = cc_consent_encode(cc_test_pool, d, both, 4, NOW, ID);
    cc_consent_t c;

    /* a new first line signs; the old key, now second, still verifies what it signed */
    CHECK_INT(cc_consent_decode(d, both, before, NOW, LIFE, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 2);
    CHECK_INT(cc_consent_decode(d, both, after, NOW, LIFE, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 4);
    CHECK_STR(after, cc_consent_encode(cc_test_pool, d, only_new, 4, NOW, ID));
    /* the old key retired: its values are no decision; a server not yet given the new file
     * does not know the new key's values */
    CHECK_INT(cc_consent_decode(d, only_new, before, NOW, LIFE, &c), CC_CONSENT_BAD_MAC);
    CHECK_INT(cc_consent_decode(d, old, after, NOW, LIFE, &c), CC_CONSENT_BAD_MAC);
}

static void test_consent_version_1(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;

    /* the format before signing: well formed and current, yet no decision (asked again) */
    CHECK_INT(decode(d, apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID
                                    ".statistical", NULL), &c), CC_CONSENT_UNSIGNED);
    CHECK_INT(decode(d, apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID ".-",
                                    NULL), &c), CC_CONSENT_UNSIGNED);
    CHECK_INT(decode(d, "1.000000000000.1764380000." ID ".gone", &c), CC_CONSENT_UNSIGNED);
    CHECK_INT(decode(d, "1", &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, "1.", &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID, NULL),
                     &c), CC_CONSENT_MALFORMED);
    /* a version 1 value with a MAC stuck on is not a version 2 value */
    CHECK_INT(decode(d, sign(apr_pstrcat(cc_test_pool, "1.", d->fingerprint, ".1764380000." ID
                                         ".statistical", NULL)), &c), CC_CONSENT_MALFORMED);
    CHECK_STR(cc_consent_status_name(CC_CONSENT_UNSIGNED), "unsigned");
}

/* Bodies that carry a valid MAC but are not values this module writes: the parser behind the MAC
 * still refuses them (a key shared with something else, or a bug, must not make them count). */
static void test_consent_signed_but_malformed(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    const char *fp = d->fingerprint;
    cc_consent_t c;
    static const char *const bad[] = {
        "2", "2.", "2.x", "2..1.a.b", "2.%s.1764380000." ID,
        "2.%s.1764380000." ID ".statistical.extra", "2.%s.1764380000." ID ".",
        "2.%s.1764380000." ID ".nope", "2.%s.1764380000." ID ".necessary",
        "2.%s.1764380000." ID ".statistical+statistical", "2.%s.1764380000." ID ".statistical+",
        "2.%s.1764380000." ID ".+statistical", "2.%s.-1764380000." ID ".-",
        "2.%s.01764380000." ID ".-", "2.%s.17643800x0." ID ".-", "2.%s.1764380000.short.-",
        "2.%s.1764380000.AAAAAAAAAAAAAAAAAAAA!A.-", "2.%s.1764380000.AAAAAAAAAAAAAAAAAAAAAAA.-",
        "2.%s.9999999999999." ID ".-", "2.%s..AAAAAAAAAAAAAAAAAAAAAA.-",
        "3.%s.1764380000." ID ".-", NULL
    };
    int i;

    for (i = 0; bad[i]; i++) {
        const char *v = sign(apr_psprintf(cc_test_pool, bad[i], fp));
        if (decode(d, v, &c) != CC_CONSENT_MALFORMED) {
            fprintf(stderr, "    accepted %s as %s\n", v,
                    cc_consent_status_name(decode(d, v, &c)));
            CHECK(0);
        }
    }
    CHECK_INT(decode(d, sign("2.ABCDEF012345.1764380000." ID ".-"), &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, sign("2.abcdef01234.1764380000." ID ".-"), &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, "garbage", &c), CC_CONSENT_MALFORMED);
    CHECK_INT(decode(d, NULL, &c), CC_CONSENT_ABSENT);
    CHECK_INT(decode(d, "", &c), CC_CONSENT_ABSENT);
    /* a MAC field that is not 22 base64url characters is not our shape at all */
    CHECK_INT(decode(d, apr_pstrcat(cc_test_pool, "2.", fp, ".1764380000." ID ".-.",
                                    "sBUALhP4yb7qhxyUtwXv!w", NULL), &c), CC_CONSENT_MALFORMED);
    {
        char big[CC_CONSENT_MAX_LEN + 10];
        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        big[0] = '2', big[1] = '.';
        CHECK_INT(decode(d, big, &c), CC_CONSENT_MALFORMED);
    }
}

static void test_consent_stale_expired_future(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;
    const char *v;

    v = sign("2.000000000000.1764380000." ID ".statistical");
    CHECK_INT(decode(d, v, &c), CC_CONSENT_STALE);
    /* A stale value may name categories that no longer exist: still stale, not malformed. */
    CHECK_INT(decode(d, sign("2.000000000000.1764380000." ID ".gone"), &c), CC_CONSENT_STALE);
    /* unsigned, a stale-looking value is no more than a bad MAC */
    CHECK_INT(decode(d, "2.000000000000.1764380000." ID ".gone.sBUALhP4yb7qhxyUtwXvHw", &c),
              CC_CONSENT_BAD_MAC);

    v = encode(d, 2, NOW - LIFE, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);        /* exactly the lifetime: still valid */
    v = encode(d, 2, NOW - LIFE - 1, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_EXPIRED);
    v = encode(d, 2, NOW + CC_CONSENT_SKEW, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    v = encode(d, 2, NOW + CC_CONSENT_SKEW + 1, ID);
    CHECK_INT(decode(d, v, &c), CC_CONSENT_FUTURE);
    CHECK_STR(cc_consent_status_name(CC_CONSENT_STALE), "stale");
}

static void test_consent_category_order(void)
{
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_consent_t c;
    const char *v = sign(apr_pstrcat(cc_test_pool, "2.", d->fingerprint, ".1764380000." ID
                                     ".marketing+statistical", NULL));

    /* Found by fuzz_consent: we write declaration order, but any order of known optional
     * categories reads as the same choice (the MAC covers the order as written). */
    CHECK_INT(decode(d, v, &c), CC_CONSENT_VALID);
    CHECK_INT(c.accepted, 6);
    CHECK(strstr(encode(d, c.accepted, c.time, c.id), ".statistical+marketing.") != NULL);
}

const cc_test_case cc_consent_tests[] = {
    {"consent_category_order", test_consent_category_order},
    {"consent_round_trip", test_consent_round_trip},
    {"consent_only_cookie_octets", test_consent_only_cookie_octets},
    {"consent_new_id", test_consent_new_id},
    {"consent_every_byte_changed", test_consent_every_byte_changed},
    {"consent_truncated", test_consent_truncated},
    {"consent_other_vhost", test_consent_other_vhost},
    {"consent_rotated_keys", test_consent_rotated_keys},
    {"consent_version_1", test_consent_version_1},
    {"consent_signed_but_malformed", test_consent_signed_but_malformed},
    {"consent_stale_expired_future", test_consent_stale_expired_future},
    {NULL, NULL}
};

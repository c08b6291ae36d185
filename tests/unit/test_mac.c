/* test_mac.c - the secret file's keys and the MAC of consent values. */
#include "cc_test.h"
#include "cc_mac.h"

#include <apr_strings.h>

/* 00 01 02 ... 1f: the key of the known answer below */
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

const cc_mac_signer_t *cc_test_signer(apr_pool_t *p, const char *keys_text, const char *site)
{
    cc_mac_signer_t *s = apr_pcalloc(p, sizeof(*s));
    apr_array_header_t *keys;
    const char *err;
    int line;

    err = cc_mac_keys_parse(p, keys_text, strlen(keys_text), &keys, &line);
    if (err) {
        fprintf(stderr, "test keys, line %d: %s\n", line, err);
        return NULL;
    }
    s->keys = keys;
    s->site = site;
    return s;
}

static void test_mac_keys_parse(void)
{
    apr_array_header_t *keys;
    const cc_mac_key_t *k;
    const char *text;
    int line, i;

    /* hex, base64 (padded), base64url (unpadded), comments, blank lines, CRLF, blanks around */
    text = "# signing key, 2026-06\n" KEY_HEX "\r\n\n"
           "  ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=  \n"
           "\tyMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5uc";
    CHECK(cc_mac_keys_parse(cc_test_pool, text, strlen(text), &keys, &line) == NULL);
    CHECK(keys && keys->nelts == 3);
    if (!keys || keys->nelts != 3) {
        return;
    }
    for (i = 0; i < 3; i++) {
        int j, ok = 1;
        k = &APR_ARRAY_IDX(keys, i, cc_mac_key_t);
        CHECK_INT(k->len, 32);
        for (j = 0; j < 32; j++) {
            ok &= k->bytes[j] == (unsigned char)((i == 0 ? 0 : i == 1 ? 32 : 200) + j);
        }
        CHECK(ok);
    }
    /* a longer key is fine (HMAC hashes what is over 64 bytes) */
    text = KEY_HEX KEY_HEX KEY_HEX;
    CHECK(cc_mac_keys_parse(cc_test_pool, text, strlen(text), &keys, &line) == NULL);
    CHECK_INT(APR_ARRAY_IDX(keys, 0, cc_mac_key_t).len, 96);
}

static void test_mac_keys_refused(void)
{
    static const struct {
        const char *text;
        int line;
        const char *words;
    } bad[] = {
        {"", 0, "no key"},
        {"# only a comment\n\n", 0, "no key"},
        {KEY_HEX "\n00010203\n", 2, "fewer than 32"},                  /* 4 bytes */
        /* 31 bytes in hex: 62 digits */
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e", 1, "fewer than 32"},
        {"c2hvcnQ=", 1, "fewer than 32"},                              /* base64 of "short" */
        {KEY_HEX "\n" KEY_HEX "zz!\n", 2, "neither hex nor base64"},
        {"key = " KEY_HEX, 1, "neither hex nor base64"},
        {"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=ICE=", 1, "base64"},
        {"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9P", 1, "base64"},     /* 41 characters */
        {NULL, 0, NULL}
    };
    apr_array_header_t *keys;
    const char *err;
    char big[16 * 1024], nul[80];
    int i, line;

    for (i = 0; bad[i].text; i++) {
        err = cc_mac_keys_parse(cc_test_pool, bad[i].text, strlen(bad[i].text), &keys, &line);
        CHECK(err != NULL);
        CHECK(keys == NULL);
        if (err && (!strstr(err, bad[i].words) || line != bad[i].line)) {
            fprintf(stderr, "    %s: line %d: %s\n", bad[i].text, line, err);
            CHECK(0);
        }
    }
    /* CC_MAC_KEYS_MAX keys, then one more */
    big[0] = '\0';
    for (i = 0; i <= CC_MAC_KEYS_MAX; i++) {
        strcat(big, KEY_HEX "\n");
    }
    err = cc_mac_keys_parse(cc_test_pool, big, strlen(big), &keys, &line);
    CHECK(err && strstr(err, "more than 16 keys"));
    CHECK_INT(line, CC_MAC_KEYS_MAX + 1);
    err = cc_mac_keys_parse(cc_test_pool, big, strlen(big) - sizeof(KEY_HEX), &keys, &line);
    CHECK(err == NULL && keys->nelts == CC_MAC_KEYS_MAX);
    /* a key over CC_MAC_KEY_MAX bytes */
    big[0] = '\0';
    for (i = 0; i < 9; i++) {
        strcat(big, KEY_HEX);
    }
    err = cc_mac_keys_parse(cc_test_pool, big, strlen(big), &keys, &line);
    CHECK(err && strstr(err, "more than 256"));
    /* a NUL byte: not a text file */
    memcpy(nul, KEY_HEX, 64);
    nul[10] = '\0';
    err = cc_mac_keys_parse(cc_test_pool, nul, 64, &keys, &line);
    CHECK(err && strstr(err, "NUL"));
}

static void test_mac_key_generate(void)
{
    const char *a = cc_mac_key_generate(cc_test_pool), *b = cc_mac_key_generate(cc_test_pool);
    apr_array_header_t *keys;
    int line;

    CHECK(a && b && strcmp(a, b));
    CHECK_INT(strlen(a), 2 * CC_MAC_KEY_MIN + 1);
    CHECK(a[2 * CC_MAC_KEY_MIN] == '\n');
    CHECK(cc_mac_keys_parse(cc_test_pool, a, strlen(a), &keys, &line) == NULL);
    CHECK_INT(APR_ARRAY_IDX(keys, 0, cc_mac_key_t).len, CC_MAC_KEY_MIN);
}

static void test_mac_known_answer(void)
{
    const cc_mac_signer_t *s = cc_test_signer(cc_test_pool, KEY_HEX, "www.example.com");
    char out[CC_MAC_TEXT_LEN + 1];

    /* Python: hmac.new(bytes(range(32)), b"mod_cookieconsent consent v2\nwww.example.com\n2.abc",
     * "sha256").digest()[:16], base64url without padding. */
    CHECK_INT(cc_mac_text(&APR_ARRAY_IDX(s->keys, 0, cc_mac_key_t), s->site, "2.abc", 5, out),
              0);
    CHECK_STR(out, "sBUALhP4yb7qhxyUtwXvHw");
    CHECK_INT(cc_mac_check(s, "2.abc", 5, "sBUALhP4yb7qhxyUtwXvHw"), 0);
    /* the same MAC for another site, another message, a second spelling of its last character
     * (w = 110000: the 4 low bits are unused, x = 110001 decodes to the same bytes) */
    s = cc_test_signer(cc_test_pool, KEY_HEX, "example.com");
    CHECK_INT(cc_mac_check(s, "2.abc", 5, "sBUALhP4yb7qhxyUtwXvHw"), -1);
    s = cc_test_signer(cc_test_pool, KEY_HEX, "www.example.com");
    CHECK_INT(cc_mac_check(s, "2.abd", 5, "sBUALhP4yb7qhxyUtwXvHw"), -1);
    CHECK_INT(cc_mac_check(s, "2.abc", 5, "sBUALhP4yb7qhxyUtwXvHx"), -1);
    CHECK_INT(cc_mac_check(s, "2.abc", 5, "sBUALhP4yb7qhxyUtwXvH"), -1);
    CHECK_INT(cc_mac_check(NULL, "2.abc", 5, "sBUALhP4yb7qhxyUtwXvHw"), -1);
}

static void test_mac_rotation(void)
{
    const char *old_key = KEY_HEX;
    const char *new_key = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    const cc_mac_signer_t *before = cc_test_signer(cc_test_pool, old_key, "a.test");
    const cc_mac_signer_t *during = cc_test_signer(cc_test_pool,
                                                   apr_pstrcat(cc_test_pool, new_key, "\n",
                                                               old_key, NULL), "a.test");
    const cc_mac_signer_t *after = cc_test_signer(cc_test_pool, new_key, "a.test");
    char old_mac[CC_MAC_TEXT_LEN + 1], new_mac[CC_MAC_TEXT_LEN + 1];

    cc_mac_text(&APR_ARRAY_IDX(before->keys, 0, cc_mac_key_t), "a.test", "2.x", 3, old_mac);
    cc_mac_text(&APR_ARRAY_IDX(during->keys, 0, cc_mac_key_t), "a.test", "2.x", 3, new_mac);
    CHECK(strcmp(old_mac, new_mac) != 0);
    CHECK_INT(cc_mac_check(during, "2.x", 3, old_mac), 1);    /* the second line verifies */
    CHECK_INT(cc_mac_check(during, "2.x", 3, new_mac), 0);    /* the first one signs */
    CHECK_INT(cc_mac_check(after, "2.x", 3, old_mac), -1);    /* retired */
    CHECK_INT(cc_mac_check(before, "2.x", 3, new_mac), -1);
}

const cc_test_case cc_mac_tests[] = {
    {"mac_keys_parse", test_mac_keys_parse},
    {"mac_keys_refused", test_mac_keys_refused},
    {"mac_key_generate", test_mac_key_generate},
    {"mac_known_answer", test_mac_known_answer},
    {"mac_rotation", test_mac_rotation},
    {NULL, NULL}
};

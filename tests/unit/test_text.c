/* test_text.c - durations, UTF-8, language tags, category names, JSON strings. */
#include "cc_test.h"
#include "cc_text.h"
#include <apr_strings.h>
#include <apr_hash.h>

static apr_int64_t dur(const char *s)
{
    apr_int64_t v = -99;

    return cc_duration_parse(s, &v) ? -1 : v;
}

static void test_duration(void)
{
    CHECK_INT(dur("session"), 0);
    CHECK_INT(dur("1d"), 86400);
    CHECK_INT(dur("180d"), 180 * 86400);
    CHECK_INT(dur("13mo"), 13 * 30 * 86400);
    CHECK_INT(dur("25mo"), 25 * 30 * 86400);
    CHECK_INT(dur("1y"), 365 * 86400);
    CHECK_INT(dur(""), -1);
    CHECK_INT(dur(NULL), -1);
    CHECK_INT(dur("0d"), -1);
    CHECK_INT(dur("d"), -1);
    CHECK_INT(dur("12"), -1);
    CHECK_INT(dur("12m"), -1);        /* minutes or months? refused, say mo */
    CHECK_INT(dur("12 d"), -1);
    CHECK_INT(dur("-3d"), -1);
    CHECK_INT(dur("3dd"), -1);
    CHECK_INT(dur("99999999999999d"), -1);
    CHECK_INT(dur("Session"), -1);
}

static void test_utf8(void)
{
    CHECK(cc_utf8_valid("", 0));
    CHECK(cc_utf8_valid("plain", 5));
    CHECK(cc_utf8_valid("n\xc3\xa9" "cessaires", 11));
    CHECK(cc_utf8_valid("\xe2\x82\xac", 3));               /* euro sign */
    CHECK(cc_utf8_valid("\xf0\x9f\x8d\xaa", 4));           /* cookie emoji */
    CHECK(!cc_utf8_valid("\xff", 1));
    CHECK(!cc_utf8_valid("\xc3", 1));                      /* truncated */
    CHECK(!cc_utf8_valid("\xc0\xaf", 2));                  /* overlong */
    CHECK(!cc_utf8_valid("\xe0\x80\xaf", 3));              /* overlong */
    CHECK(!cc_utf8_valid("\xed\xa0\x80", 3));              /* surrogate */
    CHECK(!cc_utf8_valid("\xf4\x90\x80\x80", 4));          /* > U+10FFFF */
    CHECK(!cc_utf8_valid("\xe9t\xe9", 3));                 /* Latin-1 */
    CHECK(!cc_utf8_valid("a\x80", 2));
}

static void test_lang_tag(void)
{
    CHECK(cc_lang_tag_valid("en"));
    CHECK(cc_lang_tag_valid("fr"));
    CHECK(cc_lang_tag_valid("pt-BR"));
    CHECK(cc_lang_tag_valid("zh-Hant-TW"));
    CHECK(cc_lang_tag_valid("ast"));
    CHECK(!cc_lang_tag_valid(""));
    CHECK(!cc_lang_tag_valid("e"));
    CHECK(!cc_lang_tag_valid("english"));
    CHECK(!cc_lang_tag_valid("en-"));
    CHECK(!cc_lang_tag_valid("en_US"));
    CHECK(!cc_lang_tag_valid("12"));
    CHECK(!cc_lang_tag_valid("Necessary cookies"));
    CHECK(!cc_lang_tag_valid("en-abcdefghi"));
}

static void test_category_name(void)
{
    CHECK(cc_category_name_valid("necessary"));
    CHECK(cc_category_name_valid("third-party_ads2"));
    CHECK(!cc_category_name_valid(""));
    CHECK(!cc_category_name_valid("Necessary"));
    CHECK(!cc_category_name_valid("2nd"));
    CHECK(!cc_category_name_valid("-"));
    CHECK(!cc_category_name_valid("a.b"));
    CHECK(!cc_category_name_valid("a+b"));
    CHECK(!cc_category_name_valid("abcdefghijabcdefghijabcdefghijabc"));   /* 33 chars */
}

static void test_json_string(void)
{
    CHECK_STR(cc_json_string(cc_test_pool, NULL), "null");
    CHECK_STR(cc_json_string(cc_test_pool, ""), "\"\"");
    CHECK_STR(cc_json_string(cc_test_pool, "a\"b\\c"), "\"a\\\"b\\\\c\"");
    CHECK_STR(cc_json_string(cc_test_pool, "\n\x01"), "\"\\u000a\\u0001\"");
    CHECK_STR(cc_json_string(cc_test_pool, "</script>"), "\"\\u003c/script\\u003e\"");
    CHECK_STR(cc_json_string(cc_test_pool, "n\xc3\xa9"), "\"n\xc3\xa9\"");
}

/* cc_text_hash as an apr_hashfunc_t: the length it reports, stability, every length from 0 to
 * 40 (the tail of 0-7 bytes), spread over a table, and a hash table built with it finding what
 * was put in. */
static void test_text_hash(void)
{
    char key[64];
    apr_ssize_t kl;
    unsigned int seen[64] = {0}, h, h2;
    int i, buckets = 0;
    apr_hash_t *t = apr_hash_make_custom(cc_test_pool, cc_text_hash);

    kl = APR_HASH_KEY_STRING;
    h = cc_text_hash("/var/www/index.html", &kl);
    CHECK_INT(kl, 19);
    kl = 19;
    CHECK_INT(cc_text_hash("/var/www/index.html", &kl), h);
    kl = 18;
    CHECK(cc_text_hash("/var/www/index.html", &kl) != h);       /* the length counts */
    for (i = 0; i < 40; i++) {
        key[i] = 'a';
    }
    for (i = 0; i <= 40; i++) {                                  /* "", "a", "aa", ... differ */
        kl = i;
        h = cc_text_hash(key, &kl);
        kl = i + 1 <= 40 ? i + 1 : 40;
        h2 = cc_text_hash(key, &kl);
        CHECK(i == 40 || h != h2);
    }
    for (i = 0; i < 1000; i++) {
        apr_snprintf(key, sizeof(key), "/srv/www/page%d.html|%x|en|/p%d", i, i * 7, i);
        kl = APR_HASH_KEY_STRING;
        seen[cc_text_hash(key, &kl) & 63]++;
        apr_hash_set(t, apr_pstrdup(cc_test_pool, key), APR_HASH_KEY_STRING, (void *)(apr_uintptr_t)(i + 1));
    }
    for (i = 0; i < 64; i++) {
        buckets += seen[i] > 0;
        CHECK(seen[i] < 40);                                     /* ~16 each */
    }
    CHECK_INT(buckets, 64);
    for (i = 0; i < 1000; i++) {
        apr_snprintf(key, sizeof(key), "/srv/www/page%d.html|%x|en|/p%d", i, i * 7, i);
        CHECK_INT((int)(apr_uintptr_t)apr_hash_get(t, key, APR_HASH_KEY_STRING), i + 1);
    }
    CHECK(apr_hash_get(t, "/srv/www/page1.html|7|en|/p2", APR_HASH_KEY_STRING) == NULL);
}

const cc_test_case cc_text_tests[] = {
    {"duration", test_duration},
    {"utf8", test_utf8},
    {"lang_tag", test_lang_tag},
    {"category_name", test_category_name},
    {"json_string", test_json_string},
    {"text_hash", test_text_hash},
    {NULL, NULL}
};

/* test_record.c - consent records: JSON lines, addresses, User-Agent, texts' hash, export times,
 * the action recorded, the receipt. */
#include "cc_test.h"
#include "cc_i18n.h"
#include "cc_record.h"

#include <apr_strings.h>

static cc_record_t sample(void)
{
    cc_record_t r;

    memset(&r, 0, sizeof(r));
    r.id = "AAAAAAAAAAAAAAAAAAAAAA";
    r.time_ms = 1714557600123LL;
    r.vhost = "www.example.com";
    r.action = "save";
    r.accepted = "necessary statistical";
    r.refused = "marketing";
    r.source = "settings";
    r.fingerprint = "0123456789ab";
    r.texts_hash = "ff";
    r.lang = "fr";
    return r;
}

static void test_record_json(void)
{
    cc_record_t r = sample();

    CHECK_STR(cc_record_json(cc_test_pool, &r),
              "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"time\":\"2024-05-01T10:00:00.123Z\","
              "\"time_ms\":1714557600123,\"vhost\":\"www.example.com\",\"action\":\"save\","
              "\"accepted\":[\"necessary\",\"statistical\"],\"refused\":[\"marketing\"],"
              "\"source\":\"settings\",\"fingerprint\":\"0123456789ab\",\"texts_hash\":\"ff\","
              "\"lang\":\"fr\",\"revision\":null,\"address\":null,\"user_agent\":null,"
              "\"previous_id\":null}");
    r.accepted = "";
    r.refused = " a  b ";
    r.revision = "v2 \"quoted\"";
    r.address = "192.0.2.0";
    r.user_agent = "Mozilla/5.0 \\ <x> & \x01\n";
    r.previous_id = "BBBBBBBBBBBBBBBBBBBBBB";
    CHECK_STR(cc_record_json(cc_test_pool, &r),
              "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"time\":\"2024-05-01T10:00:00.123Z\","
              "\"time_ms\":1714557600123,\"vhost\":\"www.example.com\",\"action\":\"save\","
              "\"accepted\":[],\"refused\":[\"a\",\"b\"],"
              "\"source\":\"settings\",\"fingerprint\":\"0123456789ab\",\"texts_hash\":\"ff\","
              "\"lang\":\"fr\",\"revision\":\"v2 \\\"quoted\\\"\",\"address\":\"192.0.2.0\","
              "\"user_agent\":\"Mozilla/5.0 \\\\ \\u003cx\\u003e \\u0026 \\u0001\\u000a\","
              "\"previous_id\":\"BBBBBBBBBBBBBBBBBBBBBB\"}");
}

static void test_record_json_utf8(void)
{
    cc_record_t r = sample();
    const char *j;

    /* valid UTF-8 kept, each invalid byte replaced, U+2028 escaped */
    r.user_agent = "caf\xc3\xa9 \xff\xfe \xc3 \xe2\x80\xa8 \xed\xa0\x80 \xf0\x9f\x98\x80 \xc0\xaf";
    j = cc_record_json(cc_test_pool, &r);
    CHECK(strstr(j, "\"user_agent\":\"caf\xc3\xa9 \\ufffd\\ufffd \\ufffd \\u2028 "
                    "\\ufffd\\ufffd\\ufffd \xf0\x9f\x98\x80 \\ufffd\\ufffd\"") != NULL);
    CHECK_STR(cc_record_iso_time(cc_test_pool, 0), "1970-01-01T00:00:00.000Z");
    CHECK_STR(cc_record_iso_time(cc_test_pool, -5), "1970-01-01T00:00:00.000Z");
    CHECK_STR(cc_record_iso_time(cc_test_pool, 951782400999LL), "2000-02-29T00:00:00.999Z");
}

static void test_record_address(void)
{
    apr_pool_t *p = cc_test_pool;
    cc_addr_mode_e m = CC_ADDR_FULL;

    CHECK_STR(cc_record_address(p, "192.0.2.133", CC_ADDR_TRUNCATED), "192.0.2.0");
    CHECK_STR(cc_record_address(p, "192.0.2.133", CC_ADDR_FULL), "192.0.2.133");
    CHECK(cc_record_address(p, "192.0.2.133", CC_ADDR_NONE) == NULL);
    CHECK_STR(cc_record_address(p, "2001:db8:85a3:8d3:1319:8a2e:370:7348", CC_ADDR_TRUNCATED),
              "2001:db8:85a3::");
    CHECK_STR(cc_record_address(p, "2001:0db8:85a3:08d3:1319:8a2e:0370:7348", CC_ADDR_FULL),
              "2001:db8:85a3:8d3:1319:8a2e:370:7348");
    CHECK_STR(cc_record_address(p, "::1", CC_ADDR_TRUNCATED), "::");
    CHECK_STR(cc_record_address(p, "::ffff:198.51.100.7", CC_ADDR_TRUNCATED), "198.51.100.0");
    CHECK_STR(cc_record_address(p, "::ffff:198.51.100.7", CC_ADDR_FULL), "198.51.100.7");
    CHECK(cc_record_address(p, "not an address", CC_ADDR_FULL) == NULL);
    CHECK(cc_record_address(p, "192.0.2.1/24", CC_ADDR_TRUNCATED) == NULL);
    CHECK(cc_record_address(p, NULL, CC_ADDR_TRUNCATED) == NULL);
    CHECK(cc_record_address(p, "fe80::1%eth0", CC_ADDR_TRUNCATED) == NULL);
    CHECK_INT(cc_record_addr_mode("Truncated", &m), 0);
    CHECK_INT(m, CC_ADDR_TRUNCATED);
    CHECK_INT(cc_record_addr_mode("none", &m), 0);
    CHECK_INT(m, CC_ADDR_NONE);
    CHECK_INT(cc_record_addr_mode("full", &m), 0);
    CHECK_INT(m, CC_ADDR_FULL);
    CHECK_INT(cc_record_addr_mode("/24", &m), -1);
    CHECK_INT(cc_record_addr_mode(NULL, &m), -1);
}

static void test_record_user_agent(void)
{
    char long_ua[CC_RECORD_UA_MAX + 10];
    const char *ua;

    CHECK(cc_record_user_agent(cc_test_pool, NULL) == NULL);
    CHECK_STR(cc_record_user_agent(cc_test_pool, "curl/8"), "curl/8");
    memset(long_ua, 'a', sizeof(long_ua) - 1);
    long_ua[sizeof(long_ua) - 1] = '\0';
    ua = cc_record_user_agent(cc_test_pool, long_ua);
    CHECK_INT(strlen(ua), CC_RECORD_UA_MAX);
    /* a 3-byte character across the limit goes as a whole */
    long_ua[CC_RECORD_UA_MAX - 1] = '\xe2';
    long_ua[CC_RECORD_UA_MAX] = '\x82';
    long_ua[CC_RECORD_UA_MAX + 1] = '\xac';
    ua = cc_record_user_agent(cc_test_pool, long_ua);
    CHECK_INT(strlen(ua), CC_RECORD_UA_MAX - 1);
    CHECK(ua[CC_RECORD_UA_MAX - 2] == 'a');
    /* invalid UTF-8 and controls do not reach a database */
    CHECK_STR(cc_record_user_agent(cc_test_pool, "caf\xe9 \x01x\x7f \xc3\xa9"),
              "caf\xef\xbf\xbd  x  \xc3\xa9");
}

static void test_record_texts_hash(void)
{
    apr_pool_t *p = cc_test_pool;
    cc_decl_t *d = cc_test_decl(p);
    cc_category_t *stat = APR_ARRAY_IDX(d->categories, 1, cc_category_t *);
    const char *en, *fr, *again, *changed;
    cc_text_t *t;

    en = cc_record_texts_hash(p, d, "en");
    fr = cc_record_texts_hash(p, d, "fr");
    CHECK(en && strlen(en) == CC_RECORD_HASH_LEN);
    CHECK(en && strspn(en, "0123456789abcdef") == CC_RECORD_HASH_LEN);
    /* the interface strings differ between en and fr */
    CHECK(en && fr && strcmp(en, fr));
    again = cc_record_texts_hash(p, d, "en");
    CHECK(en && again && !strcmp(en, again));
    /* a description shown changes the hash; one in another language does not */
    stat->descriptions = apr_array_make(p, 1, sizeof(cc_text_t));
    t = apr_array_push(stat->descriptions);
    t->lang = "fr";
    t->text = "Statistiques";
    changed = cc_record_texts_hash(p, d, "fr");
    CHECK(changed && fr && strcmp(changed, fr));
    /* the fr text is the first one: English readers are shown it too (cc_text_pick) */
    t = apr_array_push(stat->descriptions);
    t->lang = "";
    t->text = "Statistics";
    changed = cc_record_texts_hash(p, d, "fr");
    again = cc_record_texts_hash(p, d, "en");
    CHECK(changed && again && strcmp(changed, again));
    /* moving a boundary between two texts changes the hash (lengths are hashed) */
    t->text = "Statistic";
    stat->name = "statisticals";
    changed = cc_record_texts_hash(p, d, "en");
    CHECK(changed && again && strcmp(changed, again));
}

static void test_record_time_parse(void)
{
    apr_int64_t ms = -1;

    CHECK_INT(cc_record_time_parse("1714557600", &ms), 0);
    CHECK_INT(ms, 1714557600000LL);
    CHECK_INT(cc_record_time_parse("1714557600.5", &ms), 0);
    CHECK_INT(ms, 1714557600500LL);
    CHECK_INT(cc_record_time_parse("0", &ms), 0);
    CHECK_INT(ms, 0);
    CHECK_INT(cc_record_time_parse("2024-05-01", &ms), 0);
    CHECK_INT(ms, 1714521600000LL);
    CHECK_INT(cc_record_time_parse("2024-05-01T10:00", &ms), 0);
    CHECK_INT(ms, 1714557600000LL);
    CHECK_INT(cc_record_time_parse("2024-05-01 10:00:00.123Z", &ms), 0);
    CHECK_INT(ms, 1714557600123LL);
    CHECK_INT(cc_record_time_parse("2024-05-01T12:00:00+02:00", &ms), 0);
    CHECK_INT(ms, 1714557600000LL);
    CHECK_INT(cc_record_time_parse("2024-05-01T05:30:00-04:30", &ms), 0);
    CHECK_INT(ms, 1714557600000LL);
    CHECK_INT(cc_record_time_parse("2000-02-29", &ms), 0);
    CHECK_INT(ms, 951782400000LL);
    CHECK_INT(cc_record_time_parse("1970-01-01T00:00:00Z", &ms), 0);
    CHECK_INT(ms, 0);
    CHECK_INT(cc_record_time_parse("9999-12-31T23:59:59.999Z", &ms), 0);
    CHECK_INT(ms, 253402300799999LL);
    ms = 42;
    CHECK_INT(cc_record_time_parse("2023-02-29", &ms), -1);
    CHECK_INT(cc_record_time_parse("1900-02-28", &ms), -1);
    CHECK_INT(cc_record_time_parse("1970-01-01T00:00+01:00", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024-13-01", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024-05-01T24:00", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024-05-01T10", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024-05-01T10:00:00.12", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024-05-01T10:00:00Zx", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024-05-01x", &ms), -1);
    CHECK_INT(cc_record_time_parse("2024", &ms), -1);
    CHECK_INT(cc_record_time_parse("", &ms), -1);
    CHECK_INT(cc_record_time_parse(NULL, &ms), -1);
    CHECK_INT(cc_record_time_parse("-5", &ms), -1);
    CHECK_INT(cc_record_time_parse("12.", &ms), -1);
    CHECK_INT(cc_record_time_parse("12.1234", &ms), -1);
    CHECK_INT(cc_record_time_parse("1234567890123", &ms), -1);
    CHECK_INT(cc_record_time_parse("1e9", &ms), -1);
    CHECK_INT(ms, 42);
}

static void test_record_action(void)
{
    /* bits: 1 necessary (required), 2 statistical, 4 marketing */
    CHECK_STR(cc_record_action("save", 1, 1 | 2 | 4, 1 | 2, 6), "withdraw");
    CHECK_STR(cc_record_action("reject-all", 1, 1 | 2, 1, 6), "withdraw");
    CHECK_STR(cc_record_action("reject-all", 1, 1, 1, 6), "reject-all");
    CHECK_STR(cc_record_action("reject-all", 0, 0, 1, 6), "reject-all");
    CHECK_STR(cc_record_action("accept-all", 1, 1 | 2, 1 | 2 | 4, 6), "accept-all");
    CHECK_STR(cc_record_action("allow", 1, 1 | 2, 1 | 2 | 4, 6), "allow");
    CHECK_STR(cc_record_action("save", 1, 1 | 4, 1 | 2, 6), "withdraw");
}

static void test_record_receipt(void)
{
    cc_record_t r = sample();
    cc_receipt_t rc;
    const char *html;

    memset(&rc, 0, sizeof(rc));
    rc.lang = "en";
    rc.endpoint = "/cc";
    rc.asset_version = "v1";
    html = cc_record_receipt_html(cc_test_pool, &rc);
    CHECK(strstr(html, cc_i18n("en", CC_S_NOT_DECIDED)) != NULL);
    CHECK(strstr(html, "href=\"/cc/settings?lang=en\"") != NULL);
    CHECK_STR(cc_record_receipt_json(cc_test_pool, &rc), "{\"decided\":false}");
    rc.rec = &r;
    r.revision = "<b>";
    html = cc_record_receipt_html(cc_test_pool, &rc);
    CHECK(strstr(html, "<code>AAAAAAAAAAAAAAAAAAAAAA</code>") != NULL);
    CHECK(strstr(html, "2024-05-01T10:00:00.123Z") != NULL);
    CHECK(strstr(html, "necessary statistical") != NULL);
    CHECK(strstr(html, "&lt;b&gt;") != NULL && strstr(html, "<b>") == NULL);
    CHECK(strstr(html, cc_i18n("en", CC_S_RECEIPT_FROM_COOKIE)) != NULL);
    html = cc_record_receipt_json(cc_test_pool, &rc);
    CHECK(!strncmp(html, "{\"decided\":true,\"stored\":false,\"record\":{\"id\":", 44));
    rc.stored = 1;
    rc.lang = "fr";
    html = cc_record_receipt_html(cc_test_pool, &rc);
    CHECK(strstr(html, cc_i18n("fr", CC_S_RECEIPT_FROM_COOKIE)) == NULL);
    CHECK(strstr(html, "Reçu de consentement") != NULL);
}

const cc_test_case cc_record_tests[] = {
    {"record_json", test_record_json},
    {"record_json_utf8", test_record_json_utf8},
    {"record_address", test_record_address},
    {"record_user_agent", test_record_user_agent},
    {"record_texts_hash", test_record_texts_hash},
    {"record_time_parse", test_record_time_parse},
    {"record_action", test_record_action},
    {"record_receipt", test_record_receipt},
    {NULL, NULL}
};

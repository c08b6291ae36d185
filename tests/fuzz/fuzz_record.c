/* fuzz_record.c - the export's time parser and the record's JSON line: no crash; a time that
 * parses prints as ISO 8601 and parses back to the same millisecond; a JSON line never holds a
 * raw control byte or invalid UTF-8, whatever the User-Agent or revision held; an address that
 * is kept parses again. */
#include "fuzz_common.h"
#include "cc_record.h"

#include <assert.h>

static int utf8_valid(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3
                : (*s & 0xf8) == 0xf0 ? 4 : 0;
        int i;
        if (!n || (n > 1 && *s < 0xc2 && n == 2)) {
            return 0;
        }
        for (i = 1; i < n; i++) {
            if ((s[i] & 0xc0) != 0x80) {
                return 0;
            }
        }
        s += n;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *s = fuzz_str(p, data, size);
    apr_int64_t ms, back;
    cc_record_t r;
    const char *j, *a;
    const unsigned char *u;

    if (cc_record_time_parse(s, &ms) == 0) {
        assert(ms >= 0);
        assert(cc_record_time_parse(cc_record_iso_time(p, ms), &back) == 0 && back == ms);
    }
    memset(&r, 0, sizeof(r));
    r.id = s;
    r.vhost = "example.com";
    r.action = "save";
    r.accepted = s;
    r.refused = "";
    r.source = "api";
    r.user_agent = cc_record_user_agent(p, s);
    r.revision = s;
    j = cc_record_json(p, &r);
    for (u = (const unsigned char *)j; *u; u++) {
        assert(*u >= 0x20);
    }
    assert(utf8_valid((const unsigned char *)j));
    assert(strlen(r.user_agent) <= CC_RECORD_UA_MAX);
    if ((a = cc_record_address(p, s, CC_ADDR_TRUNCATED))) {
        assert(cc_record_address(p, a, CC_ADDR_FULL) != NULL);
    }
    apr_pool_destroy(p);
    return 0;
}

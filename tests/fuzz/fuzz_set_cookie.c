/* fuzz_set_cookie.c - Set-Cookie parsing never crashes; names and values hold no separator. */
#include "fuzz_common.h"
#include "cc_cookie.h"

#include <assert.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    cc_set_cookie_t sc;
    const char *name = NULL;
    int i, rc = cc_set_cookie_parse(p, fuzz_str(p, data, size), &sc);

    /* The name-only reading (the response filter's) agrees with the full parse. */
    assert(cc_set_cookie_name(p, fuzz_str(p, data, size), &name) == rc);
    if (rc == 0) {
        assert(!strcmp(name, sc.name));
    }
    if (rc == 0) {
        assert(!strchr(sc.name, ';') && !strchr(sc.name, '='));
        assert(!strchr(sc.value, ';'));
        for (i = 0; i < sc.attrs->nelts; i++) {
            const cc_cookie_attr_t *a = &APR_ARRAY_IDX(sc.attrs, i, cc_cookie_attr_t);
            assert(*a->name && !strchr(a->name, ';') && !strchr(a->value, ';'));
            assert(cc_set_cookie_attr(&sc, a->name) != NULL);
        }
        /* Clamping keeps the name and value, never grows a header by more than a date, and
         * is idempotent. */
        {
            const char *h = fuzz_str(p, data, size);
            apr_int64_t ret = size ? (apr_int64_t)data[0] * 86400 : 0, t;
            const char *c = cc_set_cookie_clamp(p, h, ret, 1764380000);
            cc_set_cookie_t sc2;
            assert(cc_set_cookie_parse(p, c, &sc2) == 0);
            assert(!strcmp(sc2.name, sc.name) && !strcmp(sc2.value, sc.value));
            assert(!strcmp(cc_set_cookie_clamp(p, c, ret, 1764380000), c));
            for (i = 0; i < sc2.attrs->nelts; i++) {
                const cc_cookie_attr_t *a = &APR_ARRAY_IDX(sc2.attrs, i, cc_cookie_attr_t);
                /* what a browser would honour never runs past the retention */
                if (!strcasecmp(a->name, "expires") && !cc_cookie_date_parse(a->value, &t)) {
                    assert(t <= 1764380000 + ret);
                }
                if (!strcasecmp(a->name, "max-age") && *a->value
                    && strspn(a->value, "0123456789") == strlen(a->value)) {
                    const char *v = a->value + strspn(a->value, "0");
                    assert(strlen(v) < 15 && atoll(v) <= ret);
                }
            }
        }
    }
    apr_pool_destroy(p);
    return 0;
}

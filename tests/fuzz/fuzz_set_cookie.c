/* fuzz_set_cookie.c - Set-Cookie parsing never crashes; names and values hold no separator. */
#include "fuzz_common.h"
#include "cc_cookie.h"

#include <assert.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    cc_set_cookie_t sc;
    int i;

    if (cc_set_cookie_parse(p, fuzz_str(p, data, size), &sc) == 0) {
        assert(!strchr(sc.name, ';') && !strchr(sc.name, '='));
        assert(!strchr(sc.value, ';'));
        for (i = 0; i < sc.attrs->nelts; i++) {
            const cc_cookie_attr_t *a = &APR_ARRAY_IDX(sc.attrs, i, cc_cookie_attr_t);
            assert(*a->name && !strchr(a->name, ';') && !strchr(a->value, ';'));
            assert(cc_set_cookie_attr(&sc, a->name) != NULL);
        }
    }
    apr_pool_destroy(p);
    return 0;
}

/* fuzz_cookie.c - Cookie header parsing and filtering never crash, and filtering keeps every
 * pair that the keep function accepts, unchanged. */
#include "fuzz_common.h"
#include "cc_cookie.h"

#include <assert.h>

static int keep_even(void *baton, const cc_cookie_t *c)
{
    (void)baton;
    return strlen(c->name) % 2 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *h = fuzz_str(p, data, size);
    apr_array_header_t *all = apr_array_make(p, 4, sizeof(cc_cookie_t));
    apr_array_header_t *again = apr_array_make(p, 4, sizeof(cc_cookie_t));
    const char *out;
    int dropped, i, kept = 0;

    cc_cookie_parse(p, h, all);
    for (i = 0; i < all->nelts; i++) {
        kept += keep_even(NULL, &APR_ARRAY_IDX(all, i, cc_cookie_t));
    }
    out = cc_cookie_header_filter(p, h, keep_even, NULL, &dropped);
    assert(dropped == all->nelts - kept);
    /* The filtered header parses back to exactly the kept pairs. */
    cc_cookie_parse(p, out, again);
    if (dropped) {
        assert(again->nelts == kept);
    }
    for (i = 0; i < again->nelts; i++) {
        assert(keep_even(NULL, &APR_ARRAY_IDX(again, i, cc_cookie_t)) || !dropped);
    }
    apr_pool_destroy(p);
    return 0;
}

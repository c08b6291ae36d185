/* fuzz_consent.c - the consent value decoder: no crash, and whatever it accepts re-encodes to a
 * value that decodes to the same decision (categories may come in any order: found by this
 * target, kept as lenient, see test_consent_category_order). */
#include "fuzz_common.h"
#include "cc_consent.h"
#include "cc_decision.h"

#include <assert.h>

static cc_decl_t *fuzz_decl(apr_pool_t *p)
{
    static const char *const names[] = {"necessary", "statistical", "marketing"};
    cc_decl_t *d = apr_pcalloc(p, sizeof(*d));
    int i;

    d->categories = apr_array_make(p, 3, sizeof(cc_category_t *));
    d->cookies = apr_array_make(p, 1, sizeof(cc_cookie_decl_t *));
    for (i = 0; i < 3; i++) {
        cc_category_t *c = apr_pcalloc(p, sizeof(*c));
        c->name = names[i];
        c->required = (i == 0);
        APR_ARRAY_PUSH(d->categories, cc_category_t *) = c;
    }
    d->consent_name = "cookieconsent";
    cc_decl_finish(p, d);
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cc_decl_t *d;
    static apr_pool_t *keep;
    apr_pool_t *p = fuzz_pool();
    const char *v = fuzz_str(p, data, size);
    cc_consent_t c;
    cc_decision_t dec;

    if (!d) {
        keep = fuzz_pool();
        d = fuzz_decl(keep);
    }
    /* Let the fuzzer reach the checks after the fingerprint without guessing it. */
    if (size > 14 && !strncmp(v, "1.FP.", 5)) {
        v = apr_pstrcat(p, "1.", d->fingerprint, v + 4, NULL);
    }
    if (cc_consent_decode(d, v, 1764380000, 15552000, &c) == CC_CONSENT_VALID) {
        cc_consent_t again;
        const char *re = cc_consent_encode(p, d, c.accepted, c.time, c.id);
        assert(strlen(re) <= strlen(v));
        assert(cc_consent_decode(d, re, 1764380000, 15552000, &again) == CC_CONSENT_VALID);
        assert(again.accepted == c.accepted && again.time == c.time && !strcmp(again.id, c.id));
        assert((c.accepted & d->required_mask) == 0);
    }
    cc_decision_make(p, d, v, "1", 1, 1764380000, 15552000, &dec);
    assert((dec.allowed & d->required_mask) == d->required_mask);
    assert(dec.decided || dec.allowed == d->required_mask);
    apr_pool_destroy(p);
    return 0;
}

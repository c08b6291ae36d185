/* fuzz_consent.c - the consent value decoder (version 2, signed): no crash, nothing valid
 * without the right MAC, and whatever it accepts re-encodes to a value that decodes to the same
 * decision (categories may come in any order: found by this target, kept as lenient, see
 * test_consent_category_order).
 * An input that starts "2.FP." (or "1.FP.") gets the declarations' fingerprint there, and one that ends
 * ".MAC" gets the right MAC there: the fuzzer reaches the parser behind the MAC without
 * guessing either. Any other input is decoded as it is (the MAC check itself). */
#include "fuzz_common.h"
#include "cc_consent.h"
#include "cc_decision.h"

#include <assert.h>

#define FUZZ_KEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define FUZZ_SITE "www.example.com"

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

static cc_mac_signer_t *fuzz_signer(apr_pool_t *p)
{
    cc_mac_signer_t *s = apr_pcalloc(p, sizeof(*s));
    apr_array_header_t *keys;
    int line;

    if (cc_mac_keys_parse(p, FUZZ_KEY, strlen(FUZZ_KEY), &keys, &line)) {
        abort();
    }
    s->keys = keys;
    s->site = FUZZ_SITE;
    return s;
}

static apr_pool_t *keep;

/* The keys hold libcrypto contexts, freed by their pool's cleanup: at exit, before LeakSanitizer
 * looks (APR's pool memory is not where it searches for pointers). */
static void fuzz_keep_destroy(void)
{
    apr_pool_destroy(keep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cc_decl_t *d;
    static cc_mac_signer_t *sig;
    apr_pool_t *p = fuzz_pool();
    const char *v = fuzz_str(p, data, size);
    apr_size_t len;
    int signed_here = 0;
    cc_consent_t c;
    cc_decision_t dec;

    if (!d) {
        keep = fuzz_pool();
        d = fuzz_decl(keep);
        sig = fuzz_signer(keep);
        atexit(fuzz_keep_destroy);
    }
    if (!strncmp(v, "2.FP.", 5) || !strncmp(v, "1.FP.", 5)) {
        v = apr_pstrcat(p, v[0] == '2' ? "2." : "1.", d->fingerprint, v + 4, NULL);
    }
    len = strlen(v);
    if (len >= 4 && !strcmp(v + len - 4, ".MAC")) {
        char mac[CC_MAC_TEXT_LEN + 1];
        const char *body = apr_pstrmemdup(p, v, len - 4);
        assert(!cc_mac_text(&APR_ARRAY_IDX(sig->keys, 0, cc_mac_key_t), FUZZ_SITE, body,
                            strlen(body), mac));
        v = apr_pstrcat(p, body, ".", mac, NULL);
        signed_here = 1;
    }
    if (cc_consent_decode(d, sig, v, 1764380000, 15552000, &c) == CC_CONSENT_VALID) {
        cc_consent_t again;
        const char *re = cc_consent_encode(p, d, sig, c.accepted, c.time, c.id);
        /* a valid MAC the fuzzer made up would be a forgery: a bug of HMAC or of the check */
        assert(signed_here);
        assert(strlen(re) <= strlen(v));
        assert(cc_consent_decode(d, sig, re, 1764380000, 15552000, &again) == CC_CONSENT_VALID);
        assert(again.accepted == c.accepted && again.time == c.time && !strcmp(again.id, c.id));
        assert((c.accepted & d->required_mask) == 0);
    }
    cc_decision_make(p, d, sig, v, "1", 1, 1764380000, 15552000, &dec);
    assert((dec.allowed & d->required_mask) == d->required_mask);
    assert(dec.decided || dec.allowed == d->required_mask);
    assert(!dec.decided || dec.cookie == CC_CONSENT_VALID);
    apr_pool_destroy(p);
    return 0;
}

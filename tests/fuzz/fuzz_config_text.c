/* fuzz_config_text.c - the configuration text parsers (glob, duration, language tag, category
 * name, UTF-8, CSP nonce, form, return path, CookieConsentText's key and format check) never crash
 * and keep their promises. */
#include "fuzz_common.h"
#include "cc_form.h"
#include "cc_glob.h"
#include "cc_i18n.h"
#include "cc_text.h"

#include <strings.h>

#include <assert.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *s = fuzz_str(p, data, size), *half, *ret, *nonce;
    apr_int64_t secs;
    apr_array_header_t *fields;

    if (!cc_glob_check(s)) {
        /* A valid pattern without wildcards matches itself. */
        assert(strpbrk(s, "*?") || cc_glob_match(s, s));
    }
    half = s + strlen(s) / 2;
    (void)cc_glob_match(s, half);
    (void)cc_glob_match(half, s);
    if (!cc_duration_parse(s, &secs)) {
        assert(secs >= 0);
    }
    if (cc_lang_tag_valid(s)) {
        assert(strlen(s) >= 2 && !strpbrk(s, " ;,\"<>"));
    }
    if (cc_category_name_valid(s)) {
        assert(!strpbrk(s, "+. "));
    }
    (void)cc_utf8_valid((const char *)data, size);
    ret = cc_return_path(s);
    assert(ret[0] == '/' && ret[1] != '/' && ret[1] != '\\');
    assert(!strpbrk(ret, "\r\n\\ \t"));
    nonce = cc_csp_nonce(p, s, "script-src");
    assert(!nonce || (*nonce && !strpbrk(nonce, "' ;")));
    (void)cc_form_parse(p, (const char *)data, size, &fields);
    (void)cc_cross_site(s, half, "http", half);
    /* A text the format check lets through is a safe printf format for its key: only %s (as
     * many as the key is given) and %%. */
    {
        static const cc_string_e formats[] = {CC_S_LIFETIME, CC_S_COOKIES_OF, CC_S_PLACEHOLDER};
        int k = cc_i18n_key(s);
        size_t i;
        assert(k < 0 || !strcasecmp(cc_i18n_key_name((cc_string_e)k), s));
        for (i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
            if (!cc_i18n_text_check(p, formats[i], s)) {
                (void)apr_psprintf(p, s, "x", "y");
            }
        }
    }
    apr_pool_destroy(p);
    return 0;
}

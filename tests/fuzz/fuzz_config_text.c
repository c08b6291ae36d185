/* fuzz_config_text.c - the configuration text parsers (glob, duration, language tag, category
 * name, UTF-8, CSP nonce, form, return path) never crash and keep their promises. */
#include "fuzz_common.h"
#include "cc_form.h"
#include "cc_glob.h"
#include "cc_text.h"

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
    apr_pool_destroy(p);
    return 0;
}

/* cc_decision.c - what the visitor allows. */
#include "cc_decision.h"
#include "cc_text.h"

#include <apr_strings.h>
#include <string.h>

#define CC_CAT(d, i) (APR_ARRAY_IDX((d)->categories, (i), cc_category_t *))

void cc_decision_make(apr_pool_t *p, const cc_decl_t *d, const cc_mac_signer_t *sig,
                      const char *consent_value,
                      const char *sec_gpc, int gpc_on, apr_int64_t now, apr_int64_t lifetime,
                      cc_decision_t *out)
{
    cc_consent_t c;

    memset(out, 0, sizeof(*out));
    out->allowed = d->required_mask;
    out->cookie = cc_consent_decode(d, sig, consent_value, now, lifetime, &c);
    out->bad_mac = out->cookie == CC_CONSENT_BAD_MAC;
    if (out->cookie == CC_CONSENT_VALID) {
        out->decided = 1;
        out->source = CC_SOURCE_BANNER;
        out->allowed |= c.accepted & d->optional_mask;
        out->decided_at = c.time;
        out->consent_id = apr_pstrdup(p, c.id);
        return;
    }
    /* GPC's value is exactly "1" (GPC spec 3.1); anything else, "1 " included, is no signal. */
    out->source = (gpc_on && sec_gpc && !strcmp(sec_gpc, "1")) ? CC_SOURCE_GPC : CC_SOURCE_NONE;
}

void cc_decision_make_all(apr_pool_t *p, const cc_decl_t *d, const cc_mac_signer_t *sig,
                          const apr_array_header_t *values,
                          const char *sec_gpc, int gpc_on, apr_int64_t now, apr_int64_t lifetime,
                          cc_decision_t *out)
{
    cc_decision_t one;
    int i, valid = 0, bad_mac = 0;

    if (!values || values->nelts <= 1) {
        cc_decision_make(p, d, sig, values && values->nelts
                                    ? APR_ARRAY_IDX(values, 0, const char *) : NULL,
                         sec_gpc, gpc_on, now, lifetime, out);
        return;
    }
    for (i = 0; i < values->nelts; i++) {
        cc_decision_make(p, d, sig, APR_ARRAY_IDX(values, i, const char *), sec_gpc, gpc_on,
                         now, lifetime, &one);
        bad_mac += one.bad_mac;
        if (one.cookie != CC_CONSENT_VALID) {
            if (!valid) {
                *out = one;         /* the last invalid one, until a valid one turns up */
            }
            continue;
        }
        if (valid && one.allowed != out->allowed) {
            /* Two real choices that disagree: none of them can be told to be the visitor's
             * current one, so neither is applied (opt-in) and the banner asks again. */
            cc_decision_make(p, d, sig, NULL, sec_gpc, gpc_on, now, lifetime, out);
            out->cookie = CC_CONSENT_CONFLICT;
            break;
        }
        if (!valid || one.decided_at >= out->decided_at) {
            *out = one;
        }
        valid = 1;
    }
    out->bad_mac = bad_mac;
}

void cc_decision_chosen(const cc_decl_t *d, apr_uint32_t accepted, apr_int64_t now,
                        const char *consent_id, cc_decision_t *out)
{
    memset(out, 0, sizeof(*out));
    out->decided = 1;
    out->source = CC_SOURCE_BANNER;
    out->cookie = CC_CONSENT_VALID;
    out->allowed = d->required_mask | (accepted & d->optional_mask);
    out->decided_at = now;
    out->consent_id = consent_id;
}

cc_verdict_e cc_decision_cookie(const cc_decl_t *d, const cc_decision_t *dec, const char *name,
                                const cc_cookie_decl_t **row)
{
    apr_uint32_t mask;

    if (d->consent_name && !strcmp(name, d->consent_name)) {
        *row = NULL;
        return CC_KEEP_CONSENT;
    }
    mask = cc_decl_classify(d, name, row);
    if (!mask) {
        return d->undeclared_allow ? CC_KEEP_UNDECLARED : CC_REFUSE_UNDECLARED;
    }
    /* Declared in several categories: the cookie serves all of them, so all must be allowed. */
    if ((mask & dec->allowed) != mask) {
        return CC_REFUSE_CATEGORY;
    }
    return (mask & d->required_mask) == mask ? CC_KEEP_REQUIRED : CC_KEEP_ACCEPTED;
}

int cc_verdict_keeps(cc_verdict_e v)
{
    return v != CC_REFUSE_CATEGORY && v != CC_REFUSE_UNDECLARED;
}

const char *cc_verdict_reason(cc_verdict_e v)
{
    switch (v) {
    case CC_KEEP_CONSENT:
        return "kept: the consent cookie";
    case CC_KEEP_REQUIRED:
        return "kept: required category";
    case CC_KEEP_ACCEPTED:
        return "kept: category accepted";
    case CC_KEEP_UNDECLARED:
        return "kept: undeclared, CookieConsentUndeclared allow";
    case CC_REFUSE_CATEGORY:
        return "refused: category not accepted";
    case CC_REFUSE_UNDECLARED:
        return "refused: undeclared cookie";
    }
    return "?";
}

const char *cc_source_name(cc_source_e s)
{
    return s == CC_SOURCE_BANNER ? "banner" : s == CC_SOURCE_GPC ? "gpc" : "none";
}

const char *cc_decision_categories(apr_pool_t *p, const cc_decl_t *d, const cc_decision_t *dec,
                                   int allowed, const char *sep)
{
    const char *out = "";
    apr_uint32_t all = d->required_mask | d->optional_mask;
    apr_uint32_t mask = allowed ? (dec->allowed & all) : (~dec->allowed & all);
    int i;

    if (!strcmp(sep, " ")) {
        return cc_decl_category_names(p, d, mask);
    }
    for (i = 0; i < d->categories->nelts; i++) {
        if (mask & (1u << i)) {
            out = apr_pstrcat(p, out, *out ? sep : "", CC_CAT(d, i)->name, NULL);
        }
    }
    return out;
}

static const char *cc_json_names(apr_pool_t *p, const cc_decl_t *d, const cc_decision_t *dec,
                                 int allowed)
{
    const char *out = "[";
    int i, first = 1;

    for (i = 0; i < d->categories->nelts; i++) {
        if (!(dec->allowed & (1u << i)) == !allowed) {
            out = apr_pstrcat(p, out, first ? "" : ",", cc_json_string(p, CC_CAT(d, i)->name),
                              NULL);
            first = 0;
        }
    }
    return apr_pstrcat(p, out, "]", NULL);
}

const char *cc_gcm_json(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t allowed)
{
    const char *out = "{";
    int i;

    for (i = 0; d->gcm && i < d->gcm->nelts; i++) {
        const cc_gcm_t *g = &APR_ARRAY_IDX(d->gcm, i, cc_gcm_t);
        out = apr_pstrcat(p, out, "\"", g->signal, "\":\"",
                          (allowed & (1u << g->category_index)) ? "granted" : "denied", "\",",
                          NULL);
    }
    return apr_pstrcat(p, out, "\"security_storage\":\"granted\"}", NULL);
}

static int cc_gcm_ad_denied(const cc_decl_t *d, apr_uint32_t allowed)
{
    int i;

    for (i = 0; d->gcm && i < d->gcm->nelts; i++) {
        const cc_gcm_t *g = &APR_ARRAY_IDX(d->gcm, i, cc_gcm_t);
        if (!strcmp(g->signal, "ad_storage")) {
            return !(allowed & (1u << g->category_index));
        }
    }
    return 0;
}

const char *cc_gcm_script(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t allowed)
{
    return apr_pstrcat(p, "window.dataLayer=window.dataLayer||[];"
                       "function gtag(){dataLayer.push(arguments);}"
                       "gtag(\"consent\",\"default\",", cc_gcm_json(p, d, allowed), ");",
                       cc_gcm_ad_denied(d, allowed) ? "gtag(\"set\",\"ads_data_redaction\",true);"
                       : "", "\n", NULL);
}

const char *cc_decision_json(apr_pool_t *p, const cc_decl_t *d, const cc_decision_t *dec,
                             apr_int64_t lifetime)
{
    const char *fp = dec->cookie == CC_CONSENT_VALID ? "current"
                     : dec->cookie == CC_CONSENT_STALE ? "stale" : "none";
    const char *json;

    json = apr_psprintf(p, "{\"decided\":%s,\"source\":\"%s\",\"accepted\":%s,\"refused\":%s,"
                        "\"fingerprint\":\"%s\",\"consent_id\":%s,\"decided_at\":%s,"
                        "\"cookie\":\"%s\",\"lifetime\":%" APR_INT64_T_FMT "}",
                        dec->decided ? "true" : "false", cc_source_name(dec->source),
                        cc_json_names(p, d, dec, 1), cc_json_names(p, d, dec, 0), fp,
                        cc_json_string(p, dec->consent_id),
                        dec->decided ? apr_psprintf(p, "%" APR_INT64_T_FMT, dec->decided_at)
                                     : "null",
                        cc_consent_status_name(dec->cookie), lifetime);
    if (d->gcm && d->gcm->nelts) {
        /* the page's script pushes gtag('consent','update', this) after a choice */
        json = apr_pstrcat(p, apr_pstrmemdup(p, json, strlen(json) - 1), ",\"google_consent\":",
                           cc_gcm_json(p, d, dec->allowed), "}", NULL);
    }
    return json;
}

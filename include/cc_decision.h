/* cc_decision.h - what the visitor allows, and what that means for one cookie. */
#ifndef CC_DECISION_H
#define CC_DECISION_H

#include "cc_consent.h"
#include "cc_decl.h"

typedef enum {
    CC_SOURCE_NONE = 0,             /* no decision: opt-in means every optional category refused */
    CC_SOURCE_BANNER,               /* an explicit choice, from a valid consent cookie */
    CC_SOURCE_GPC                   /* no explicit choice, Sec-GPC: 1 */
} cc_source_e;

typedef struct {
    int decided;                    /* an explicit, current choice exists */
    cc_source_e source;
    cc_consent_status_e cookie;     /* what the consent cookie was */
    apr_uint32_t allowed;           /* category bits, required ones included */
    apr_int64_t decided_at;         /* Unix seconds, 0 when not decided */
    const char *consent_id;         /* NULL when not decided */
    int bad_mac;                    /* values of the consent cookie whose MAC did not verify */
} cc_decision_t;

typedef enum {
    CC_KEEP_CONSENT,                /* the consent cookie itself */
    CC_KEEP_REQUIRED,
    CC_KEEP_ACCEPTED,
    CC_KEEP_UNDECLARED,             /* CookieConsentUndeclared allow */
    CC_REFUSE_CATEGORY,
    CC_REFUSE_UNDECLARED
} cc_verdict_e;

/* The decision from the consent cookie value (NULL when absent; verified with sig, see
 * cc_consent_decode) and the Sec-GPC header value (NULL when absent; only exactly "1" counts, and
 * only when gpc_on). */
void cc_decision_make(apr_pool_t *p, const cc_decl_t *d, const cc_mac_signer_t *sig,
                      const char *consent_value,
                      const char *sec_gpc, int gpc_on, apr_int64_t now, apr_int64_t lifetime,
                      cc_decision_t *out);

/* The same from every consent cookie value the browser sent (const char *; a host-only copy
 * and one a sibling subdomain set for the parent domain, say). Invalid values are ignored;
 * valid ones that accept the same categories are one decision (the latest gives its time and
 * id); valid ones that disagree are no decision at all (CC_CONSENT_CONFLICT): nothing optional
 * is allowed and the visitor is asked again. Without a valid value the status is the last
 * value's. out->bad_mac counts the values whose MAC did not verify (they are ignored). */
void cc_decision_make_all(apr_pool_t *p, const cc_decl_t *d, const cc_mac_signer_t *sig,
                          const apr_array_header_t *values,
                          const char *sec_gpc, int gpc_on, apr_int64_t now, apr_int64_t lifetime,
                          cc_decision_t *out);

/* The decision after an explicit choice of accepted optional categories. */
void cc_decision_chosen(const cc_decl_t *d, apr_uint32_t accepted, apr_int64_t now,
                        const char *consent_id, cc_decision_t *out);

/* What happens to the cookie called name. *row receives its declaration (or NULL). */
cc_verdict_e cc_decision_cookie(const cc_decl_t *d, const cc_decision_t *dec, const char *name,
                                const cc_cookie_decl_t **row);

int cc_verdict_keeps(cc_verdict_e v);

/* A few words saying why, for the logs. */
const char *cc_verdict_reason(cc_verdict_e v);

const char *cc_source_name(cc_source_e s);

/* Category names whose bit is (allowed = 1) or is not (allowed = 0) in dec->allowed, joined by
 * sep, in declaration order. */
const char *cc_decision_categories(apr_pool_t *p, const cc_decl_t *d, const cc_decision_t *dec,
                                   int allowed, const char *sep);

/* Google Consent Mode v2: {"ad_storage":"denied",...,"security_storage":"granted"} for the
 * categories in allowed (d->gcm must be set). */
const char *cc_gcm_json(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t allowed);

/* The script that sets Google's consent default for allowed, before any tag runs: defines gtag
 * as Google's snippet does, gtag('consent','default',...), and ads_data_redaction while
 * ad_storage is denied. No wait_for_update: the server knows the state. */
const char *cc_gcm_script(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t allowed);

/* The state as a JSON object (see docs/design.md). */
const char *cc_decision_json(apr_pool_t *p, const cc_decl_t *d, const cc_decision_t *dec,
                             apr_int64_t lifetime);

#endif

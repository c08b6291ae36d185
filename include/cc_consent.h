/* cc_consent.h - the consent cookie's value: 1.<fingerprint>.<time>.<id>.<categories>. */
#ifndef CC_CONSENT_H
#define CC_CONSENT_H

#include "cc_decl.h"

#define CC_CONSENT_ID_LEN 22        /* 16 random bytes in base64url, no padding */
#define CC_CONSENT_MAX_LEN 1024     /* longer values are refused before any parsing */
#define CC_CONSENT_SKEW 300         /* seconds a decision may lie in the future (clock skew) */

typedef enum {
    CC_CONSENT_VALID = 0,
    CC_CONSENT_ABSENT,              /* no value */
    CC_CONSENT_MALFORMED,           /* not our format, or tampered with */
    CC_CONSENT_STALE,               /* well-formed, but for other declarations */
    CC_CONSENT_EXPIRED,             /* older than the lifetime */
    CC_CONSENT_FUTURE,              /* decided after now + skew */
    CC_CONSENT_CONFLICT             /* several valid values that disagree (cc_decision_make_all) */
} cc_consent_status_e;

typedef struct {
    char fingerprint[CC_FINGERPRINT_LEN + 1];
    apr_int64_t time;               /* Unix seconds */
    char id[CC_CONSENT_ID_LEN + 1];
    apr_uint32_t accepted;          /* category bits (optional ones only) */
} cc_consent_t;

/* Decodes value against the declarations at time now (Unix seconds). Only CC_CONSENT_VALID means
 * a decision; out is filled as far as the value could be read. */
cc_consent_status_e cc_consent_decode(const cc_decl_t *d, const char *value, apr_int64_t now,
                                      apr_int64_t lifetime, cc_consent_t *out);

/* The value for a decision taken now with the given accepted categories (required bits are
 * dropped: they are implied). id must be CC_CONSENT_ID_LEN base64url characters. */
const char *cc_consent_encode(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t accepted,
                              apr_int64_t now, const char *id);

/* A fresh consent id from APR's random source. */
apr_status_t cc_consent_new_id(apr_pool_t *p, const char **id);

/* A short word for a status, for logs and JSON. */
const char *cc_consent_status_name(cc_consent_status_e status);

#endif

/* cc_consent.h - the consent cookie's value, version 2:
 *   2.<fingerprint>.<time>.<id>.<categories>.<mac>
 * mac: the first 128 bits of HMAC-SHA-256 (cc_mac.h), base64url, over everything before it and the
 * virtual host's name. Version 1 (the same without mac) is read as "no decision". */
#ifndef CC_CONSENT_H
#define CC_CONSENT_H

#include "cc_decl.h"
#include "cc_mac.h"

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
    CC_CONSENT_CONFLICT,            /* several valid values that disagree (cc_decision_make_all) */
    CC_CONSENT_BAD_MAC,             /* version 2, but no key signed it for this site: forged,
                                     * from another virtual host, or its key was retired */
    CC_CONSENT_UNSIGNED             /* version 1 (no MAC): the visitor is asked again */
} cc_consent_status_e;

typedef struct {
    char fingerprint[CC_FINGERPRINT_LEN + 1];
    apr_int64_t time;               /* Unix seconds */
    char id[CC_CONSENT_ID_LEN + 1];
    apr_uint32_t accepted;          /* category bits (optional ones only) */
} cc_consent_t;

/* Decodes value against the declarations at time now (Unix seconds): its MAC must be one of
 * sig's keys' for sig's site (checked before any field is read). Only CC_CONSENT_VALID means a
 * decision; out is filled as far as the value could be read. */
cc_consent_status_e cc_consent_decode(const cc_decl_t *d, const cc_mac_signer_t *sig,
                                      const char *value, apr_int64_t now, apr_int64_t lifetime,
                                      cc_consent_t *out);

/* The value for a decision taken now with the given accepted categories (required bits are
 * dropped: they are implied), signed with sig's first key for sig's site. id must be
 * CC_CONSENT_ID_LEN base64url characters. NULL when there is no key or libcrypto fails. */
const char *cc_consent_encode(apr_pool_t *p, const cc_decl_t *d, const cc_mac_signer_t *sig,
                              apr_uint32_t accepted, apr_int64_t now, const char *id);

/* A fresh consent id from APR's random source. */
apr_status_t cc_consent_new_id(apr_pool_t *p, const char **id);

/* A short word for a status, for logs and JSON. */
const char *cc_consent_status_name(cc_consent_status_e status);

#endif

/* cc_record.h - consent records (issue 10): one record per decision, as a JSON line, the
 * visitor's address as CookieConsentRecordsAddress keeps it, the hash of the texts shown, the
 * times the export takes, and the receipt page. */
#ifndef CC_RECORD_H
#define CC_RECORD_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "cc_decl.h"

#define CC_RECORD_UA_MAX 256        /* bytes of User-Agent kept (cut on a UTF-8 boundary) */
#define CC_RECORD_HASH_LEN 64       /* SHA-256 in lower-case hex */

typedef enum {
    CC_ADDR_NONE = 0,               /* no address */
    CC_ADDR_TRUNCATED,              /* IPv4 /24, IPv6 /48 (the default) */
    CC_ADDR_FULL
} cc_addr_mode_e;

/* One decision. Strings are UTF-8 (anything else is escaped byte by byte as U+FFFD); accepted
 * and refused are category names separated by single spaces ("" for none). revision, address,
 * user_agent and previous_id may be NULL (JSON null). */
typedef struct {
    const char *id;                 /* the consent id (22 base64url characters) */
    apr_int64_t time_ms;            /* Unix milliseconds, UTC */
    const char *vhost;              /* the virtual host's ServerName */
    const char *action;             /* accept-all, reject-all, save, withdraw, allow */
    const char *accepted;
    const char *refused;
    const char *source;             /* banner, settings, api, placeholder */
    const char *fingerprint;        /* of the declarations */
    const char *texts_hash;         /* cc_record_texts_hash */
    const char *lang;
    const char *revision;           /* CookieConsentRevision */
    const char *address;            /* already cut by cc_record_address */
    const char *user_agent;         /* already cut by cc_record_user_agent */
    const char *previous_id;        /* the decision this one replaces */
} cc_record_t;

/* The record as one JSON object on one line (no newline), keys in this order: id, time (ISO 8601
 * UTC with milliseconds), time_ms, vhost, action, accepted (array), refused (array), source,
 * fingerprint, texts_hash, lang, revision, address, user_agent, previous_id. */
const char *cc_record_json(apr_pool_t *p, const cc_record_t *rec);

/* "2024-05-01T10:00:00.123Z" for Unix milliseconds (negative times are clamped to 0). */
const char *cc_record_iso_time(apr_pool_t *p, apr_int64_t ms);

/* The address to keep for ip (a textual IPv4 or IPv6 address, as httpd gives it): NULL for
 * CC_ADDR_NONE or an unparsable ip; the network (/24, /48; an IPv4-mapped IPv6 address counts as
 * IPv4) for CC_ADDR_TRUNCATED; the address in canonical form for CC_ADDR_FULL. */
const char *cc_record_address(apr_pool_t *p, const char *ip, cc_addr_mode_e mode);

/* "none", "truncated" or "full" -> 0 and *mode; -1 otherwise. */
int cc_record_addr_mode(const char *word, cc_addr_mode_e *mode);

/* ua cut to at most CC_RECORD_UA_MAX bytes without splitting a UTF-8 sequence; NULL stays
 * NULL. */
const char *cc_record_user_agent(apr_pool_t *p, const char *ua);

/* SHA-256 (hex) of what a visitor reading lang was shown: each category's name, title and
 * description, each row's label and purpose (as cc_text_pick chooses them for lang), then every
 * built-in interface string in lang; each text preceded by its length, so no two different
 * sets of texts hash the same way by moving a boundary. NULL if libcrypto fails. */
const char *cc_record_texts_hash(apr_pool_t *p, const cc_decl_t *d, const char *lang);

/* The export's from= and to=: Unix seconds ("1714557600", optionally with up to 3 decimals), or
 * ISO 8601: "2024-05-01", "2024-05-01T10:00", "2024-05-01T10:00:00[.mmm]" followed by nothing
 * (UTC), "Z" or "+HH:MM"/"-HH:MM" (' ' may replace 'T'). Returns 0 and *ms (Unix milliseconds),
 * or -1 for anything else (years 1970 to 9999 only). */
int cc_record_time_parse(const char *s, apr_int64_t *ms);

/* The action a record names: "withdraw" when the decision refuses an optional category the
 * previous one (had_previous) accepted, else the form's action. */
const char *cc_record_action(const char *form_action, int had_previous, apr_uint32_t before,
                             apr_uint32_t after, apr_uint32_t optional_mask);

/* What the receipt page shows. */
typedef struct {
    const cc_record_t *rec;         /* the record (from the database, or from the cookie) */
    int stored;                     /* rec comes from the site's records (dbd) */
    const char *lang;
    const char *endpoint;           /* "/cookieconsent" */
    const char *asset_version;
    const char *style_nonce;        /* may be NULL */
    const apr_array_header_t *ui_texts; /* the site's CookieConsentText (cc_ui_text_t), or NULL */
} cc_receipt_t;

/* The receipt as a whole HTML page; rec NULL: "you have not made a choice yet". */
const char *cc_record_receipt_html(apr_pool_t *p, const cc_receipt_t *rc);

/* The receipt as JSON: {"decided":false} or {"decided":true,"stored":B,"record":{...}}. */
const char *cc_record_receipt_json(apr_pool_t *p, const cc_receipt_t *rc);

#endif

/* cc_text.h - small text checks and encoders used by the configuration and the responses. */
#ifndef CC_TEXT_H
#define CC_TEXT_H

#include <apr_pools.h>

/* A retention or lifetime: "session" (0 seconds), "Nd", "Nmo" (30 days) or "Ny" (365 days).
 * Returns NULL and sets *seconds, or a static sentence saying what is wrong. */
const char *cc_duration_parse(const char *text, apr_int64_t *seconds);

/* 1 when the len bytes at s are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int cc_utf8_valid(const char *s, apr_size_t len);

/* 1 for a language tag of the form ll, lll, ll-XX, ll-Xxxx-XX (RFC 5646 shape, not registry). */
int cc_lang_tag_valid(const char *tag);

/* 1 for a category name: [a-z][a-z0-9_-]{0,31}. */
int cc_category_name_valid(const char *name);

/* s as a JSON string literal, quotes included. NULL gives null. */
const char *cc_json_string(apr_pool_t *p, const char *s);

/* The first 'nonce-...' source of directive (e.g. "script-src") in a Content-Security-Policy
 * header, falling back to default-src; NULL when there is none. */
const char *cc_csp_nonce(apr_pool_t *p, const char *csp, const char *directive);

/* An apr_hashfunc_t for long keys (paths, cache keys): 8 bytes at a time where APR's default
 * goes byte by byte. *klen may be APR_HASH_KEY_STRING (then set to the length). Not for tables a
 * client fills with keys of its choosing: it is fast, not keyed. */
unsigned int cc_text_hash(const char *key, apr_ssize_t *klen);

#endif

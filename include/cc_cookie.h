/* cc_cookie.h - Cookie and Set-Cookie header parsing (RFC 6265bis, lenient like browsers). */
#ifndef CC_COOKIE_H
#define CC_COOKIE_H

#include <apr_pools.h>
#include <apr_tables.h>

/* One name=value pair of a Cookie header. */
typedef struct {
    const char *name;   /* may be "" (a pair without '=' or with an empty name) */
    const char *value;  /* raw, quotes kept */
    const char *pair;   /* the trimmed "name=value" text as the browser sent it */
} cc_cookie_t;

/* One attribute of a Set-Cookie header; value is "" for flags such as Secure. */
typedef struct {
    const char *name;
    const char *value;
} cc_cookie_attr_t;

/* A parsed Set-Cookie header value. */
typedef struct {
    const char *name;
    const char *value;
    apr_array_header_t *attrs;  /* cc_cookie_attr_t, in header order */
} cc_set_cookie_t;

/* Appends the pairs of one Cookie header to cookies (cc_cookie_t). Never fails: empty pieces are
 * skipped, a piece without '=' is a cookie with an empty name (RFC 6265bis 5.6). */
void cc_cookie_parse(apr_pool_t *p, const char *header, apr_array_header_t *cookies);

/* Parses a Set-Cookie value. Returns 0 on success, -1 when the value must be ignored (RFC 6265bis:
 * empty name and value, or a control byte). */
int cc_set_cookie_parse(apr_pool_t *p, const char *header, cc_set_cookie_t *out);

/* The value of attribute name (case-insensitive), or NULL. */
const char *cc_set_cookie_attr(const cc_set_cookie_t *sc, const char *name);

/* Only the name of a Set-Cookie header (trimmed, "" when the pair has no '='), with the same
 * verdict as cc_set_cookie_parse: -1 for control characters or an empty pair. One allocation. */
int cc_set_cookie_name(apr_pool_t *p, const char *header, const char **name);

/* Decides per cookie: 1 keeps it, 0 drops it. */
typedef int cc_cookie_keep_fn(void *baton, const cc_cookie_t *cookie);

/* The pairs cookies[from, to) that keep() keeps, joined by "; " (one allocation). Returns NULL
 * when every pair is kept (the header can stay as it was), "" when none is; *dropped receives
 * the number of dropped pairs. keep() is called once per pair, in order. */
const char *cc_cookie_join(apr_pool_t *p, const apr_array_header_t *cookies, int from, int to,
                           cc_cookie_keep_fn *keep, void *baton, int *dropped);

/* Rebuilds a Cookie header with the kept pairs joined by "; ". Returns the header unchanged when
 * nothing is dropped, "" when nothing is kept. *dropped receives the number of dropped pairs. */
const char *cc_cookie_header_filter(apr_pool_t *p, const char *header, cc_cookie_keep_fn *keep,
                                    void *baton, int *dropped);

/* A Set-Cookie value that deletes a cookie: empty value, Max-Age=0 and a past Expires. domain may
 * be NULL (host-only); path NULL means "/". */
const char *cc_cookie_expiry(apr_pool_t *p, const char *name, const char *domain,
                             const char *path, int secure);

/* A cookie-date (RFC 6265 5.1.1, the algorithm browsers use: tokens in any order, two-digit
 * years, any delimiters). Returns 0 and the Unix time in *t, or -1 when a browser would ignore
 * the Expires attribute. */
int cc_cookie_date_parse(const char *s, apr_int64_t *t);

/* Clamps the lifetime of a Set-Cookie value to retention seconds from now (0: a session cookie):
 * a Max-Age above retention is rewritten to it, an Expires later than now + retention is
 * rewritten to that date; with retention 0 both attributes are removed. Deletions (Max-Age <= 0,
 * an Expires in the past) are left alone. Everything else is kept byte for byte. Returns header
 * itself when nothing changes. */
const char *cc_set_cookie_clamp(apr_pool_t *p, const char *header, apr_int64_t retention,
                                apr_int64_t now);

/* 1 when name starts with "__Secure-" or "__Host-" (compared without regard to case, as current
 * browsers do, RFC 6265bis 4.1.3): a browser drops such a cookie when it comes without Secure. */
int cc_cookie_needs_secure(const char *name);

#endif

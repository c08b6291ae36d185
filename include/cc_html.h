/* cc_html.h - a pool-backed string builder and HTML escaping. */
#ifndef CC_HTML_H
#define CC_HTML_H

#include <apr_pools.h>

typedef struct {
    apr_pool_t *pool;
    char *data;
    apr_size_t len;
    apr_size_t cap;
} cc_sb_t;

void cc_sb_init(cc_sb_t *sb, apr_pool_t *p, apr_size_t hint);
void cc_sb_add(cc_sb_t *sb, const char *s);
void cc_sb_addn(cc_sb_t *sb, const char *s, apr_size_t n);

/* Appends several strings, NULL-terminated. */
void cc_sb_cat(cc_sb_t *sb, ...);

/* Appends s HTML-escaped (& < > " ' become entities): safe in text and quoted attributes. */
void cc_sb_esc(cc_sb_t *sb, const char *s);

/* The built string (NUL-terminated, owned by the pool). */
const char *cc_sb_str(cc_sb_t *sb);

/* s HTML-escaped, as a new string. */
const char *cc_html_escape(apr_pool_t *p, const char *s);

#endif

/* cc_http.h - small HTTP facts the glue needs, kept pure: media types, entity-tags of injected
 * pages, If-None-Match rewriting, URL path prefixes. */
#ifndef CC_HTTP_H
#define CC_HTTP_H

#include <apr_pools.h>

#define CC_STATE_TAG_LEN 8          /* hex digits of cc_render_state_tag() */

/* 1 when the Content-Type value type is the media type want (no parameters in want),
 * case-insensitively, followed by nothing, ';' or a space. */
int cc_http_media_type_is(const char *type, const char *want);

/* 0 when a Content-Type's charset parameter names an encoding that is not ASCII-compatible
 * (UTF-16, UTF-32, UCS-2, UCS-4), where a UTF-8 snippet would be garbage; 1 otherwise. */
int cc_http_charset_ascii(const char *type);

/* The entity-tag of an injected page: W/"<original, unquoted>-cc<state>". */
const char *cc_http_state_etag(apr_pool_t *p, const char *etag, const char *state);

/* If-None-Match for a page injected with state: W/"X-cc<state>" becomes W/"X" (the handler
 * compares it with the file's own tag and answers 304), "*" stays, every other tag is dropped.
 * *hit is set when a tag of this state or "*" was there. Returns "" when nothing is left. */
const char *cc_http_rewrite_inm(apr_pool_t *p, const char *inm, const char *state, int *hit);

/* The rest of path after prefix when path is prefix itself or below it ("/cc" matches "/cc" and
 * "/cc/x", not "/ccx"), else NULL. */
const char *cc_http_under(const char *path, const char *prefix);

#endif

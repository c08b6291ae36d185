/* cc_render.h - the banner, the settings page and the cookie policy, as HTML and JSON. */
#ifndef CC_RENDER_H
#define CC_RENDER_H

#include "cc_decision.h"
#include "cc_decl.h"

typedef struct {
    const cc_decl_t *decl;
    const cc_decision_t *dec;
    const char *lang;               /* the chosen language tag */
    const char *endpoint;           /* "/cookieconsent" */
    const char *return_path;        /* where the forms come back to (already checked) */
    const char *nonce;              /* CSP script nonce for our <script>, or NULL */
    const char *style_nonce;        /* CSP style nonce for our <link>, or NULL */
    const char *asset_version;      /* appended to asset URLs for long caching */
    apr_int64_t lifetime;           /* consent lifetime, seconds */
    apr_uint32_t state_seed;        /* cc_render_state_seed() of the snippet's fixed parts, or 0 */
} cc_render_t;

/* What goes after <body>: the stylesheet and script tags, then the first-layer banner when there
 * is no decision, else the "Privacy settings" button. */
const char *cc_render_snippet(apr_pool_t *p, const cc_render_t *rc);

/* The snippet as two fixed parts around the escaped return path: what varies per request is only
 * that path, so the parts can be rendered once (at startup) per language and kind. */
typedef struct {
    const char *head;
    const char *tail;
} cc_snippet_parts_t;

/* Renders rc's snippet (without nonces) split around the return path. */
void cc_render_snippet_parts(apr_pool_t *p, const cc_render_t *rc, cc_snippet_parts_t *out);

/* 8 hex digits naming everything the snippet depends on but the nonce (banner or button, allowed
 * categories, language, return path, asset version): an injected page's ETag carries it, so a
 * validator matches only while the visitor would get the same bytes. buf holds
 * CC_STATE_TAG_LEN + 1 bytes (cc_http.h). */
void cc_render_state_tag(const cc_render_t *rc, char *buf);

/* What the state tag starts from: a hash of the declarations' fingerprint, the asset version and
 * the n strings of parts (the snippet's fixed parts, rendered for one language: its texts). Set
 * as rc->state_seed, it lets the tag change whenever the snippet's bytes do (a text changed and
 * the server restarted) and saves hashing them on every request; with rc->state_seed 0 the tag
 * hashes the fingerprint and the asset version alone. */
apr_uint32_t cc_render_state_seed(const cc_render_t *rc, const char *const *parts, int n);

/* 1 when the snippet is the banner (no decision yet), 0 when it is the settings button. */
int cc_render_shows_banner(const cc_render_t *rc);

/* The settings form; a whole page unless fragment (the JS layer inserts the fragment). */
const char *cc_render_settings(apr_pool_t *p, const cc_render_t *rc, int fragment);

/* The cookie declaration, grouped by category, as a whole HTML page. */
const char *cc_render_policy_html(apr_pool_t *p, const cc_render_t *rc);

/* The same data as JSON. */
const char *cc_render_policy_json(apr_pool_t *p, const cc_render_t *rc);

/* "1 year", "180 days"... for a lifetime in seconds (whole days), with the site's strings (ui:
 * cc_ui_text_t, may be NULL). */
const char *cc_render_lifetime(apr_pool_t *p, const apr_array_header_t *ui, const char *lang,
                               apr_int64_t seconds);

#endif

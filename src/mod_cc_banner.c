/* mod_cc_banner.c - the banner injection filter (COOKIECONSENT_BANNER), the rendering context
 * (language, return path, CSP nonces) and the conditional-request handling of injected pages. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include "cc_assets.h"
#include "cc_cookie.h"
#include "cc_form.h"
#include "cc_html.h"
#include "cc_i18n.h"
#include "cc_matcher.h"
#include "cc_render.h"
#include "cc_text.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

/* ------------------------------------------------------------------------------------------ */
/* Rendering: language, return path, nonce                                                      */

char cc_asset_ver[13];

static const char *cc_snippet_key(apr_pool_t *p, const char *lang, int banner)
{
    return apr_pstrcat(p, lang, banner ? "/banner" : "/button", NULL);
}

/* Renders, once per virtual host, language and kind, the snippet around its return path: a
 * request then only escapes its path (see cc_inject_start). */
static void cc_prerender(apr_pool_t *pconf, cc_srv_conf *c)
{
    cc_decision_t undecided, decided;
    cc_snippet_parts_t *parts;
    cc_render_t rc;
    int i, banner;

    memset(&undecided, 0, sizeof(undecided));
    decided = undecided;
    decided.decided = 1;
    decided.source = CC_SOURCE_BANNER;
    c->snippets = apr_hash_make(pconf);
    for (i = 0; i < c->languages->nelts; i++) {
        for (banner = 0; banner < 2; banner++) {
            memset(&rc, 0, sizeof(rc));
            rc.decl = c->decl;
            rc.dec = banner ? &undecided : &decided;
            rc.lang = APR_ARRAY_IDX(c->languages, i, const char *);
            rc.endpoint = cc_conf_endpoint(c);
            rc.asset_version = cc_asset_ver;
            rc.lifetime = cc_conf_lifetime(c);
            parts = apr_palloc(pconf, sizeof(*parts));
            cc_render_snippet_parts(pconf, &rc, parts);
            apr_hash_set(c->snippets, cc_snippet_key(pconf, rc.lang, banner), APR_HASH_KEY_STRING,
                         parts);
        }
    }
}

int cc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)plog;
    cc_assets_version(cc_asset_ver);
    /* httpd reads the configuration twice at startup: warn on the run that serves. */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        cc_warn_insecure_choice(ptemp, s);
    }
    for (; s; s = s->next) {
        cc_srv_conf *c = cc_srv(s);
        if (c->decl) {
            cc_prerender(pconf, c);
        }
    }
    return OK;
}

/* The first value of a query-string argument, or NULL. */
const char *cc_query_arg(request_rec *r, const char *name)
{
    apr_array_header_t *fields;

    if (!r->args || cc_form_parse(r->pool, r->args, strlen(r->args), &fields)) {
        return NULL;
    }
    return cc_form_get(fields, name);
}

const char *cc_held_cookie(const cc_req_ctx *ctx, const char *name)
{
    const cc_cookie_t *c = (const cc_cookie_t *)ctx->held->elts;
    int i;

    for (i = 0; name && i < ctx->held->nelts; i++) {
        if (!strcmp(c[i].name, name)) {
            return c[i].value;
        }
    }
    return NULL;
}

void cc_render_init(request_rec *r, const cc_req_ctx *ctx, cc_render_t *rc,
                           const char *ret)
{
    const cc_srv_conf *c = ctx->conf;

    memset(rc, 0, sizeof(*rc));
    rc->decl = c->decl;
    rc->dec = &ctx->dec;
    rc->lang = cc_lang_choose(c->languages, cc_query_arg(r, "lang"),
                              cc_held_cookie(ctx, c->lang_cookie),
                              apr_table_get(r->headers_in, "Accept-Language"));
    rc->endpoint = cc_conf_endpoint(c);
    rc->return_path = cc_return_path(ret);
    rc->asset_version = cc_asset_ver;
    rc->lifetime = cc_conf_lifetime(c);
}

/* CSP nonces of the response, so our <script> and <link> are allowed by a nonce-based policy. */
static void cc_render_nonces(request_rec *r, cc_render_t *rc)
{
    const char *csp = apr_table_get(r->headers_out, "Content-Security-Policy");

    if (!csp) {
        csp = apr_table_get(r->err_headers_out, "Content-Security-Policy");
    }
    if (csp) {
        rc->nonce = cc_csp_nonce(r->pool, csp, "script-src");
        rc->style_nonce = cc_csp_nonce(r->pool, csp, "style-src");
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Banner injection                                                                             */

#define CC_FILE_HEAD 4096                   /* bytes of a file read at a time to find <body> */

typedef struct {
    cc_matcher_t matcher;
    char state[9];                      /* cc_render_state_tag() */
    const char *head, *mid, *tail;      /* the snippet: fixed parts around the return path */
    apr_size_t snippet_len;
    apr_bucket_brigade *rest;
    int done;
    int seen_data;                      /* some body bytes went through */
} cc_inject_ctx;

static int cc_media_type_is(const char *type, const char *want)
{
    apr_size_t n = strlen(want);

    return type && !strncasecmp(type, want, n) && (type[n] == '\0' || type[n] == ';'
                                                   || type[n] == ' ');
}

/* Why the banner must not go into this response, or NULL when it must. */
static const char *cc_inject_skip(request_rec *r)
{
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");

    if (!enc) {
        enc = apr_table_get(r->err_headers_out, "Content-Encoding");
    }
    if (r->main) {
        return "subrequest";
    }
    if (!cc_ctx_get(r) || !cc_req_enabled(r) || !cc_req_banner(r)) {
        return "off here";
    }
    if (apr_table_get(r->notes, CC_NOTE_ENDPOINT)) {
        return "the module's own page";
    }
    if (r->status != HTTP_OK) {
        return "status is not 200";
    }
    if (!cc_media_type_is(r->content_type, "text/html")
        && !cc_media_type_is(r->content_type, "application/xhtml+xml")) {
        return "not HTML";
    }
    if ((enc && strcasecmp(enc, "identity")) || (r->content_encoding
                                                 && strcasecmp(r->content_encoding, "identity"))) {
        return "already encoded";
    }
    if (apr_table_get(r->headers_in, "Range")) {
        return "Range request";
    }
    return NULL;
}

void cc_vary(request_rec *r, const char *token)
{
    const char *v = apr_table_get(r->headers_out, "Vary");

    if (!v || !ap_find_token(r->pool, v, token)) {
        apr_table_mergen(r->headers_out, "Vary", token);
    }
}


/* The entity-tag of an injected page: W/"<original>-cc<state>". Another consent state, language
 * or asset version gives other bytes, so another tag. */
const char *cc_state_etag(request_rec *r, const char *etag, const char *state)
{
    apr_size_t n;

    if (!strncmp(etag, "W/", 2)) {
        etag += 2;
    }
    n = strlen(etag);
    if (n >= 2 && etag[0] == '"' && etag[n - 1] == '"') {
        etag = apr_pstrmemdup(r->pool, etag + 1, n - 2);
    }
    return apr_psprintf(r->pool, "W/\"%s-cc%s\"", etag, state);
}

/* Rewrites If-None-Match for a page we inject into: W/"X-ccS" becomes W/"X" when S is the state
 * this visitor gets now (the handler then answers 304 as for the plain file). Every other tag is
 * dropped: one of another state, and one of the file itself (a copy cached before the module was
 * enabled, or from a Range answer), both name bytes without the banner this visitor needs now. */
static const char *cc_rewrite_inm(request_rec *r, const char *inm, const char *state, int *hit)
{
    const char *out = "", *tok, *cc;
    char *copy = apr_pstrdup(r->pool, inm), *last;

    for (tok = apr_strtok(copy, ",", &last); tok; tok = apr_strtok(NULL, ",", &last)) {
        while (*tok == ' ' || *tok == '\t') {
            tok++;
        }
        if (!strcmp(tok, "*")) {
            out = apr_pstrcat(r->pool, out, *out ? ", " : "", tok, NULL);
            continue;
        }
        cc = strstr(tok, "-cc");
        if (!cc || strlen(cc) != 12 || cc[11] != '"' || strncmp(cc + 3, state, 8)) {
            continue;
        }
        *hit = 1;
        tok = apr_pstrcat(r->pool, apr_pstrmemdup(r->pool, tok, cc - tok), "\"", NULL);
        out = apr_pstrcat(r->pool, out, *out ? ", " : "", tok, NULL);
    }
    return out;
}

/* After mod_mime typed the request: make conditional requests for static HTML pages agree with
 * the validators we send on injected pages. */
int cc_fixups(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *inm;
    cc_render_t rc;
    char state[9];
    int hit = 0;

    if (r->main || !ctx || !cc_req_enabled(r) || !cc_req_banner(r)
        || apr_table_get(r->notes, CC_NOTE_ENDPOINT)
        || (!cc_media_type_is(r->content_type, "text/html")
            && !cc_media_type_is(r->content_type, "application/xhtml+xml"))) {
        return DECLINED;
    }
    /* Injected pages carry no Last-Modified: a date cannot say the banner state changed. */
    apr_table_unset(r->headers_in, "If-Modified-Since");
    inm = apr_table_get(r->headers_in, "If-None-Match");
    if (!inm) {
        return DECLINED;
    }
    cc_render_init(r, ctx, &rc, r->unparsed_uri);
    cc_render_state_tag(&rc, state);
    inm = cc_rewrite_inm(r, inm, state, &hit);
    if (*inm) {
        apr_table_setn(r->headers_in, "If-None-Match", inm);
    }
    else {
        apr_table_unset(r->headers_in, "If-None-Match");
    }
    if (hit) {
        /* A 304 must repeat our tag, not the file's (see cc_out_filter). */
        apr_table_setn(r->notes, CC_NOTE_STATE, apr_pstrdup(r->pool, state));
    }
    return DECLINED;
}

/* The headers the snippet invalidates, fixed once: length, validators, Vary. */
static void cc_inject_headers(request_rec *r, const cc_inject_ctx *ic)
{
    const char *cl = apr_table_get(r->headers_out, "Content-Length");
    const char *etag = apr_table_get(r->headers_out, "ETag");
    apr_off_t len;
    char *end;

    if (cl) {
        if (apr_strtoff(&len, cl, &end, 10) == APR_SUCCESS && !*end && len >= 0) {
            /* The snippet goes in whole whether or not <body> is found: the length is exact. */
            ap_set_content_length(r, len + (apr_off_t)ic->snippet_len);
        }
        else {
            apr_table_unset(r->headers_out, "Content-Length");
        }
    }
    if (etag) {
        apr_table_setn(r->headers_out, "ETag", cc_state_etag(r, etag, ic->state));
    }
    apr_table_unset(r->headers_out, "Last-Modified");
    apr_table_unset(r->headers_out, "Content-MD5");
    /* Everything the snippet depends on, so a shared cache (mod_cache) keeps one copy per state. */
    cc_vary(r, "Cookie");
    cc_vary(r, "Accept-Language");
    if (cc_ctx_get(r)->conf->gpc != 0) {
        cc_vary(r, "Sec-GPC");
    }
}

static cc_inject_ctx *cc_inject_start(ap_filter_t *f)
{
    request_rec *r = f->r;
    const cc_req_ctx *ctx = cc_ctx_get(r);
    cc_inject_ctx *ic = apr_pcalloc(r->pool, sizeof(*ic));
    const cc_snippet_parts_t *parts = NULL;
    cc_render_t rc;

    cc_matcher_init(&ic->matcher);
    cc_render_init(r, ctx, &rc, r->unparsed_uri);
    cc_render_nonces(r, &rc);
    if (!rc.nonce && !rc.style_nonce && ctx->conf->snippets) {
        parts = apr_hash_get(ctx->conf->snippets,
                             cc_snippet_key(r->pool, rc.lang, cc_render_shows_banner(&rc)),
                             APR_HASH_KEY_STRING);
    }
    if (parts) {
        ic->head = parts->head;
        ic->mid = cc_html_escape(r->pool, rc.return_path);
        ic->tail = parts->tail;
    }
    else {
        ic->head = cc_render_snippet(r->pool, &rc);    /* nonces differ on every response */
        ic->mid = ic->tail = "";
    }
    ic->snippet_len = strlen(ic->head) + strlen(ic->mid) + strlen(ic->tail);
    cc_render_state_tag(&rc, ic->state);
    ic->rest = apr_brigade_create(r->pool, f->c->bucket_alloc);
    cc_inject_headers(r, ic);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "cookieconsent: injecting the %s (%" APR_SIZE_T_FMT
                  " bytes, lang %s)", cc_render_shows_banner(&rc) ? "banner" : "settings button",
                  ic->snippet_len, rc.lang);
    return ic;
}

static void cc_inject_snippet(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket *before)
{
    apr_bucket_alloc_t *ba = f->c->bucket_alloc;

    /* The fixed parts live as long as the configuration: no copy. */
    APR_BUCKET_INSERT_BEFORE(before, apr_bucket_immortal_create(ic->head, strlen(ic->head), ba));
    if (*ic->mid) {
        APR_BUCKET_INSERT_BEFORE(before, apr_bucket_pool_create(ic->mid, strlen(ic->mid),
                                                                f->r->pool, ba));
    }
    if (*ic->tail) {
        APR_BUCKET_INSERT_BEFORE(before, apr_bucket_immortal_create(ic->tail, strlen(ic->tail),
                                                                    ba));
    }
    ic->done = 1;
}

/* Passes the buckets before b and keeps the rest in bb, so a page without <body> (or with a very
 * long head) never piles up in memory while we look. */
static apr_status_t cc_inject_pass_before(ap_filter_t *f, cc_inject_ctx *ic,
                                          apr_bucket_brigade *bb, apr_bucket *b)
{
    apr_status_t rv;

    ic->rest = apr_brigade_split_ex(bb, b, ic->rest);
    rv = ap_pass_brigade(f->next, bb);
    apr_brigade_cleanup(bb);
    APR_BRIGADE_CONCAT(bb, ic->rest);
    return rv;
}

/* Reads b without waiting when possible. When the handler has nothing more yet (a CGI or a
 * backend thinking before <body>), what came before b is flushed to the client first, so the
 * visitor never waits on us; only then do we wait for b. */
static apr_status_t cc_inject_read(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket_brigade *bb,
                                   apr_bucket *b, const char **data, apr_size_t *len)
{
    apr_status_t rv = apr_bucket_read(b, data, len, APR_NONBLOCK_READ);

    if (!APR_STATUS_IS_EAGAIN(rv)) {
        return rv;
    }
    APR_BUCKET_INSERT_BEFORE(b, apr_bucket_flush_create(f->c->bucket_alloc));
    if ((rv = cc_inject_pass_before(f, ic, bb, b)) != APR_SUCCESS) {
        return rv;
    }
    return apr_bucket_read(b, data, len, APR_BLOCK_READ);
}

static apr_status_t cc_inject_scan(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket_brigade *bb)
{
    apr_bucket *b = APR_BRIGADE_FIRST(bb);
    apr_size_t scanned = 0, len;
    apr_ssize_t at;
    const char *data;
    apr_status_t rv;

    while (!ic->done && b != APR_BRIGADE_SENTINEL(bb)) {
        if (APR_BUCKET_IS_EOS(b)) {
            /* No <body> tag: the end of the document. A HEAD answered without a body (a proxy)
             * keeps its Content-Length, already corrected; adding bytes would make httpd
             * recount it from them alone. */
            if (ic->seen_data || !f->r->header_only) {
                cc_inject_snippet(f, ic, b);
            }
            ic->done = 1;
            break;
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            b = APR_BUCKET_NEXT(b);
            continue;
        }
        /* Of a file, read only a head: the rest stays a file bucket, for sendfile. */
        if (APR_BUCKET_IS_FILE(b) && b->length != (apr_size_t)-1 && b->length > CC_FILE_HEAD) {
            apr_bucket_split(b, CC_FILE_HEAD);
        }
        if ((rv = cc_inject_read(f, ic, bb, b, &data, &len)) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, f->r, "cookieconsent: reading the response");
            return rv;
        }
        ic->seen_data |= len > 0;
        at = cc_matcher_feed(&ic->matcher, data, len);
        if (at >= 0) {
            if ((apr_size_t)at < len) {
                apr_bucket_split(b, (apr_size_t)at);
            }
            cc_inject_snippet(f, ic, APR_BUCKET_NEXT(b));
            break;
        }
        b = APR_BUCKET_NEXT(b);
        scanned += len;
        if (scanned >= CC_SCAN_PASS && b != APR_BRIGADE_SENTINEL(bb)) {
            /* Keep memory bounded on a long head or a page without <body>. */
            if ((rv = cc_inject_pass_before(f, ic, bb, b)) != APR_SUCCESS) {
                return rv;
            }
            b = APR_BRIGADE_FIRST(bb);
            scanned = 0;
        }
    }
    if (ic->done) {
        ap_remove_output_filter(f);
    }
    return ap_pass_brigade(f->next, bb);
}

apr_status_t cc_banner_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    const char *why;

    if (APR_BRIGADE_EMPTY(bb)) {
        return APR_SUCCESS;
    }
    if (!f->ctx) {
        /* Decide once, on the first call, then get out of the way (like mod_deflate). */
        if ((why = cc_inject_skip(f->r)) != NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: no banner: %s",
                          why);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        /* HEAD goes through too: the body is dropped later, but the length, ETag and Vary
         * must be those of the GET. */
        f->ctx = cc_inject_start(f);
    }
    return cc_inject_scan(f, f->ctx, bb);
}

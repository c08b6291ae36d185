/* mod_cc_banner.c - the banner injection filter (COOKIECONSENT_BANNER), the rendering context
 * (language, return path, CSP nonces) and the conditional-request handling of injected pages. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#include "cc_assets.h"
#include "cc_cookie.h"
#include "cc_form.h"
#include "cc_html.h"
#include "cc_http.h"
#include "cc_i18n.h"
#include "cc_matcher.h"
#include "cc_render.h"
#include "cc_text.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

/* ------------------------------------------------------------------------------------------ */
/* Rendering: language, return path, nonce                                                      */


/* The snippet of one language around its return path, for the settings button (0) and the
 * banner (1), with the lengths of its fixed parts. */
typedef struct cc_prerendered_s {
    const char *lang;
    const char *head[2], *tail[2];
    apr_size_t head_len[2], tail_len[2];
    apr_uint32_t state_seed;            /* cc_render_state_seed() of the four parts */
} cc_prerendered;

/* Renders, once per virtual host, language and kind, the snippet around its return path: a
 * request then only escapes its path (see cc_inject_start). */
static void cc_prerender(apr_pool_t *pconf, cc_srv_conf *c)
{
    cc_decision_t undecided, decided;
    cc_snippet_parts_t parts;
    cc_render_t rc;
    int i, banner;

    memset(&undecided, 0, sizeof(undecided));
    decided = undecided;
    decided.decided = 1;
    decided.source = CC_SOURCE_BANNER;
    c->n_snippets = c->set.languages->nelts;
    c->snippets = apr_pcalloc(pconf, sizeof(*c->snippets) * (apr_size_t)(c->n_snippets + 1));
    for (i = 0; i < c->n_snippets; i++) {
        cc_prerendered *pr = &c->snippets[i];
        pr->lang = APR_ARRAY_IDX(c->set.languages, i, const char *);
        for (banner = 0; banner < 2; banner++) {
            memset(&rc, 0, sizeof(rc));
            rc.decl = c->decl;
            rc.dec = banner ? &undecided : &decided;
            rc.lang = pr->lang;
            rc.endpoint = cc_conf_endpoint(c);
            rc.asset_version = cc_assets_ver();
            rc.lifetime = cc_conf_lifetime(c);
            cc_render_snippet_parts(pconf, &rc, &parts);
            pr->head[banner] = parts.head;
            pr->tail[banner] = parts.tail;
            pr->head_len[banner] = strlen(parts.head);
            pr->tail_len[banner] = strlen(parts.tail);
        }
        pr->state_seed = cc_render_state_seed(&rc, (const char *const[]){pr->head[0],
                                              pr->tail[0], pr->head[1], pr->tail[1]}, 4);
    }
}

static const cc_prerendered *cc_prerendered_for(const cc_srv_conf *c, const char *lang)
{
    int i;

    for (i = 0; i < c->n_snippets; i++) {
        if (c->snippets[i].lang == lang || !strcmp(c->snippets[i].lang, lang)) {
            return &c->snippets[i];
        }
    }
    return NULL;
}

/* mod_headers' late filter (NULL without mod_headers): see cc_late_headers_filter. */
static ap_filter_rec_t *cc_fixup_headers_frec;

/* The seed of the state tag for rc's language (cc_render_state_seed), once cc_render_init ran. */
static void cc_state_seed(const cc_srv_conf *c, cc_render_t *rc)
{
    const cc_prerendered *pr = cc_prerendered_for(c, rc->lang);

    rc->state_seed = pr ? pr->state_seed : 0;
}

static int cc_banner_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)plog, (void)ptemp;
    (void)cc_assets_ver();              /* computed once, before threads start */
    cc_fixup_headers_frec = ap_get_output_filter_handle("FIXUP_HEADERS_OUT");
    for (; s; s = s->next) {
        cc_srv_conf *c = cc_srv(s);
        if (c->decl) {
            cc_prerender(pconf, c);
        }
    }
    return OK;
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
    cc_render_t rc;
    char state[CC_STATE_TAG_LEN + 1];   /* cc_render_state_tag() */
    const char *head, *mid, *tail;      /* the snippet: fixed parts around the return path */
    apr_size_t head_len, mid_len, tail_len;
    apr_size_t snippet_len;
    apr_bucket_brigade *rest;
    apr_bucket_brigade *held;           /* scanned, not passed: is it a document? (< 64 KB) */
    int done;                           /* nothing more to look at */
    int injected;                       /* the snippet went in */
    int committed;                      /* something was passed on: the headers are final */
    int late_nonce;                     /* mod_headers' late filter may still add a CSP */
    int probing;                        /* passing the head through it to read that CSP */
    apr_bucket_brigade *late_held;      /* what COOKIECONSENT_LATE keeps while we probe */
    int headless;                       /* a HEAD answered without a body (a proxy) */
    int seen_data;                      /* some body bytes went through */
    apr_size_t scanned_total;
    const char *file_key;               /* the static file being scanned (cc_body_key) */
    apr_size_t file_key_len;
    int file_gated;                     /* ... as COOKIECONSENT_GATE passed it on */
} cc_inject_ctx;

typedef enum {
    CC_BANNER_APPLIES = 0,
    CC_BANNER_NO,                       /* the banner has nothing to do with this response */
    CC_BANNER_NO_FRAGMENT_REQUEST,      /* the request asks for a fragment (XHR, htmx, Turbo) */
    CC_BANNER_NO_PARTIAL                /* a 206 of a page that would get it */
} cc_banner_verdict_e;

/* Why this request asks for a part of a page rather than a page, or NULL. Browsers send
 * Sec-Fetch-Dest on every request; the other three are what jQuery/WordPress' admin-ajax, htmx
 * and Turbo send with theirs. */
static const char *cc_fragment_request(request_rec *r)
{
    const char *v;

    if ((v = apr_table_get(r->headers_in, "Sec-Fetch-Dest")) && strcasecmp(v, "document")
        && strcasecmp(v, "iframe") && strcasecmp(v, "frame")) {
        return "Sec-Fetch-Dest is not a document";
    }
    if ((v = apr_table_get(r->headers_in, "X-Requested-With")) && !strcasecmp(v,
                                                                             "XMLHttpRequest")) {
        return "X-Requested-With: XMLHttpRequest";
    }
    if (apr_table_get(r->headers_in, "HX-Request")) {
        return "an htmx request";
    }
    if (apr_table_get(r->headers_in, "Turbo-Frame")) {
        return "a Turbo Frame request";
    }
    return NULL;
}

/* Whether the banner could go into pages of this request at all: the module is on here, the
 * page is HTML in an ASCII-compatible charset. XHTML is left alone: its XML parser rejects the
 * HTML snippet. Checked in fixups (static files are typed by then) and again in the filter. */
static const char *cc_banner_off(request_rec *r)
{
    cc_req_ctx *ctx;
    const char *why;

    if (r->main) {
        return "subrequest";
    }
    if (!(ctx = cc_ctx_get(r))) {
        return "off here";
    }
    if (apr_table_get(r->notes, CC_NOTE_ENDPOINT)) {
        return "the module's own page";
    }
    /* fixups and the filter both ask: the answer holds while the media type is the same */
    if (ctx->banner_off_for == r && ctx->banner_off_type == r->content_type) {
        return ctx->banner_off_why;
    }
    if (!cc_req_enabled(r) || !cc_req_banner(r)) {
        why = "off here";
    }
    else if (!cc_type_is_html(r)) {
        why = "not text/html";
    }
    else if (!cc_http_charset_ascii(r->content_type)) {
        why = "a charset that is not ASCII-compatible";
    }
    else {
        why = NULL;
    }
    ctx->banner_off_for = r;
    ctx->banner_off_type = r->content_type;
    ctx->banner_off_why = why;
    return why;
}

/* Why the banner must not go into this response (*why), decided on the final status. */
static cc_banner_verdict_e cc_inject_verdict(request_rec *r, const char **why)
{
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");

    if (!enc) {
        enc = apr_table_get(r->err_headers_out, "Content-Encoding");
    }
    if ((*why = cc_banner_off(r)) != NULL) {
        return CC_BANNER_NO;
    }
    if ((enc && strcasecmp(enc, "identity")) || (r->content_encoding
                                                 && strcasecmp(r->content_encoding, "identity"))) {
        *why = "already encoded";
        return CC_BANNER_NO;
    }
    if (r->status == HTTP_PARTIAL_CONTENT) {
        *why = "a 206 made before us";
        return CC_BANNER_NO_PARTIAL;
    }
    if (r->status != HTTP_OK) {
        *why = "status is not 200";
        return CC_BANNER_NO;
    }
    if ((*why = cc_fragment_request(r)) != NULL) {
        return CC_BANNER_NO_FRAGMENT_REQUEST;
    }
    return CC_BANNER_APPLIES;
}

void cc_vary(request_rec *r, const char *token)
{
    const char *v = apr_table_get(r->headers_out, "Vary");

    if (!v || !ap_find_token(r->pool, v, token)) {
        apr_table_mergen(r->headers_out, "Vary", token);
    }
}

/* Everything a page the banner applies to depends on, so that a shared cache (mod_cache) keeps
 * one copy per state and never serves the copy made for a fragment request to a navigation. */
void cc_banner_vary(request_rec *r)
{
    static const char *const tokens[] = {
        "Cookie", "Accept-Language", "Sec-Fetch-Dest", "X-Requested-With", "HX-Request",
        "Turbo-Frame", NULL
    };
    cc_req_ctx *ctx = cc_ctx_get(r);
    int gpc = ctx && ctx->conf->set.gpc, i;

    if (ctx && ctx->vary_for == r) {
        return;                             /* the gate and the banner filter both ask */
    }
    if (ctx) {
        ctx->vary_for = r;
    }
    if (!apr_table_get(r->headers_out, "Vary")) {
        apr_table_setn(r->headers_out, "Vary", gpc ? "Cookie, Accept-Language, Sec-GPC, "
                       "Sec-Fetch-Dest, X-Requested-With, HX-Request, Turbo-Frame"
                       : "Cookie, Accept-Language, Sec-Fetch-Dest, X-Requested-With, "
                       "HX-Request, Turbo-Frame");
        return;
    }
    for (i = 0; tokens[i]; i++) {
        cc_vary(r, tokens[i]);
    }
    if (gpc) {
        cc_vary(r, "Sec-GPC");
    }
}

/* After mod_mime typed the request: make conditional requests for static HTML pages agree with
 * the validators we send on injected pages. */
static int cc_fixups(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *inm;
    cc_render_t rc;
    char state[CC_STATE_TAG_LEN + 1];
    int hit = 0;

    if (!ctx || cc_banner_off(r)) {
        return DECLINED;
    }
    /* Injected pages carry no Last-Modified: a date cannot say the banner state changed. */
    apr_table_unset(r->headers_in, "If-Modified-Since");
    inm = apr_table_get(r->headers_in, "If-None-Match");
    if (!inm) {
        return DECLINED;
    }
    cc_render_init(r, ctx, &rc, cc_original_uri(r));
    cc_state_seed(ctx->conf, &rc);
    cc_render_state_tag(&rc, state);
    inm = cc_http_rewrite_inm(r->pool, inm, state, &hit);
    if (*inm) {
        apr_table_setn(r->headers_in, "If-None-Match", inm);
    }
    else {
        apr_table_unset(r->headers_in, "If-None-Match");
    }
    if (hit) {
        /* A 304 must carry what the 200 it stands for carries (see cc_out_filter). */
        apr_table_setn(r->notes, CC_NOTE_STATE, apr_pstrdup(r->pool, state));
    }
    return DECLINED;
}

/* The headers the snippet invalidates, fixed once, before anything is passed on. extra: the
 * bytes the body grows by, -1 when it is not known yet (the length is then dropped). */
static void cc_inject_headers(request_rec *r, const cc_inject_ctx *ic, apr_off_t extra)
{
    const char *cl = apr_table_get(r->headers_out, "Content-Length");
    const char *etag = apr_table_get(r->headers_out, "ETag");
    apr_off_t len;
    char *end;

    if (cl && extra) {
        if (extra > 0 && apr_strtoff(&len, cl, &end, 10) == APR_SUCCESS && !*end && len >= 0) {
            ap_set_content_length(r, len + extra);
        }
        else {
            apr_table_unset(r->headers_out, "Content-Length");
        }
    }
    if (etag) {
        apr_table_setn(r->headers_out, "ETag", cc_http_state_etag(r->pool, etag, ic->state));
    }
    apr_table_unset(r->headers_out, "Last-Modified");
    apr_table_unset(r->headers_out, "Content-MD5");
    cc_banner_vary(r);
    /* A range of these bytes is a range of a page made for one visitor: the byterange filter
     * (after us) sends the whole 200 instead, which is what a cache may keep. */
    apr_table_unset(r->headers_in, "Range");
    apr_table_unset(r->headers_in, "If-Range");
}

/* Fixes the headers on the first pass: by then the length is known when the snippet is in, or
 * when the response is sure to get it (it started as a document). */
static void cc_inject_commit(request_rec *r, cc_inject_ctx *ic)
{
    apr_off_t extra;

    if (ic->committed) {
        return;
    }
    ic->committed = 1;
    if (ic->injected || (ic->headless && !ic->late_nonce)) {
        extra = (apr_off_t)ic->snippet_len;
    }
    else if (ic->headless) {
        extra = -1;                         /* as the GET: the nonce comes later there */
    }
    else if (ic->done) {
        extra = 0;
    }
    else if (cc_matcher_is_document(&ic->matcher) && !ic->late_nonce) {
        extra = (apr_off_t)ic->snippet_len;
    }
    else {
        extra = -1;
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r, "cookieconsent: headers fixed, length %s",
                  extra < 0 ? "dropped (not known yet)" : extra ? "grows by the snippet"
                  : "unchanged");
    cc_inject_headers(r, ic, extra);
}

/* Chooses the snippet for the nonces the response has now. */
static void cc_inject_render(request_rec *r, cc_inject_ctx *ic)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const cc_prerendered *pr = NULL;
    cc_render_t *rc = &ic->rc;
    int banner;

    cc_render_nonces(r, rc);
    if (!rc->nonce && !rc->style_nonce) {
        pr = cc_prerendered_for(ctx->conf, rc->lang);
    }
    if (pr) {
        banner = cc_render_shows_banner(rc);
        ic->head = pr->head[banner];
        ic->head_len = pr->head_len[banner];
        ic->mid = cc_html_escape(r->pool, rc->return_path);
        ic->mid_len = strlen(ic->mid);
        ic->tail = pr->tail[banner];
        ic->tail_len = pr->tail_len[banner];
    }
    else {
        ic->head = cc_render_snippet(r->pool, rc);      /* nonces differ on every response */
        ic->head_len = strlen(ic->head);
        ic->mid = ic->tail = "";
        ic->mid_len = ic->tail_len = 0;
    }
    ic->snippet_len = ic->head_len + ic->mid_len + ic->tail_len;
}

/* mod_headers' "Header set" (without "early") runs in its FIXUP_HEADERS_OUT filter, after ours:
 * a Content-Security-Policy it sets is only there once our first bytes went through it. */
static int cc_late_headers_filter(ap_filter_t *f)
{
    request_rec *r = f->r;

    if (!cc_fixup_headers_frec) {
        return 0;
    }
    for (f = f->next; f && f->r == r; f = f->next) {
        if (f->frec == cc_fixup_headers_frec) {
            return 1;
        }
    }
    return 0;
}

static ap_filter_rec_t *cc_late_handle;

/* COOKIECONSENT_LATE: sits after mod_headers' FIXUP_HEADERS_OUT while a probe is under way (see
 * cc_inject_snippet); keeps the probe's bytes, then passes everything and steps aside. */
static apr_status_t cc_late_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    cc_inject_ctx *ic = f->ctx;
    apr_bucket *b, *next;

    if (ic->probing) {
        return ap_save_brigade(f, &ic->late_held, &bb, f->r->pool);
    }
    ap_remove_output_filter(f);
    if (ic->late_held) {
        /* The probe's flush was only for mod_deflate: the page goes on in one piece. */
        for (b = APR_BRIGADE_FIRST(ic->late_held); b != APR_BRIGADE_SENTINEL(ic->late_held);
             b = next) {
            next = APR_BUCKET_NEXT(b);
            if (APR_BUCKET_IS_FLUSH(b)) {
                apr_bucket_delete(b);
            }
        }
        APR_BRIGADE_PREPEND(bb, ic->late_held);
    }
    return ap_pass_brigade(f->next, bb);
}

/* ------------------------------------------------------------------------------------------ */
/* Where <body> ends in static files, per child: the next request for the same file inserts
 * the snippet without reading or scanning its head, and the whole file stays a file bucket.
 * Keyed by the file's name, inode, size and mtime (as COOKIECONSENT_GATE's cache is); at most
 * CC_BODY_CACHE_ENTRIES entries of a key and an offset, then it starts over. */

#define CC_BODY_CACHE_ENTRIES 2048
#define CC_BODY_KEY_MAX 1024

typedef struct {
    apr_ino_t inode;
    apr_dev_t device;
    apr_off_t size;
    apr_time_t mtime;
} cc_body_id;

static apr_pool_t *cc_body_pool;
static apr_hash_t *cc_body_cache;           /* key -> (offset + 1) */
#if APR_HAS_THREADS
static apr_thread_mutex_t *cc_body_mutex;
#endif

static apr_hash_t *cc_body_make(void)
{
    return apr_hash_make_custom(cc_body_pool, cc_text_hash);     /* keys: long paths */
}

static void cc_body_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    apr_pool_create(&cc_body_pool, pchild);
    cc_body_cache = cc_body_make();
#if APR_HAS_THREADS
    apr_thread_mutex_create(&cc_body_mutex, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

static void cc_body_lock(int lock)
{
#if APR_HAS_THREADS
    if (cc_body_mutex) {
        (lock ? apr_thread_mutex_lock : apr_thread_mutex_unlock)(cc_body_mutex);
    }
#else
    (void)lock;
#endif
}

/* The first data bucket when the response is the request's static file from its first byte
 * (a file bucket whose file is r->filename), with its cache key in ic; else NULL. When
 * COOKIECONSENT_GATE changed the file, its own cache key (which determines what it passes on)
 * is part of ours; a gate without one makes the response uncacheable here too. */
static apr_bucket *cc_body_key(request_rec *r, cc_inject_ctx *ic, apr_bucket_brigade *bb)
{
    apr_bucket *b = APR_BRIGADE_FIRST(bb);
    const char *name = NULL, *gate = apr_table_get(r->notes, CC_NOTE_GATE);
    apr_size_t nlen, glen = gate ? strlen(gate) + 1 : 0;
    cc_body_id id;
    char *key;

    if (r->finfo.filetype != APR_REG || !r->filename || !cc_body_cache || (gate && !*gate)) {
        return NULL;
    }
    while (b != APR_BRIGADE_SENTINEL(bb) && APR_BUCKET_IS_METADATA(b)) {
        b = APR_BUCKET_NEXT(b);
    }
    if (b == APR_BRIGADE_SENTINEL(bb) || !APR_BUCKET_IS_FILE(b) || b->start != 0
        || b->length == (apr_size_t)-1
        || apr_file_name_get(&name, ((apr_bucket_file *)b->data)->fd) != APR_SUCCESS
        || !name || strcmp(name, r->filename)
        || (nlen = strlen(name)) + glen + sizeof(id) > CC_BODY_KEY_MAX) {
        return NULL;
    }
    memset(&id, 0, sizeof(id));
    id.inode = r->finfo.inode;
    id.device = r->finfo.device;
    id.size = r->finfo.size;
    id.mtime = r->finfo.mtime;
    key = apr_palloc(r->pool, sizeof(id) + nlen + glen);
    memcpy(key, &id, sizeof(id));
    memcpy(key + sizeof(id), name, nlen);
    if (gate) {
        key[sizeof(id) + nlen] = '\n';
        memcpy(key + sizeof(id) + nlen + 1, gate, glen - 1);
    }
    ic->file_key = key;
    ic->file_key_len = sizeof(id) + nlen + glen;
    ic->file_gated = gate != NULL;
    return b;
}

/* The bucket that ends at byte at of bb's data, split there, when every bucket before it has a
 * known length (the gate's edits and the file around them); else NULL. */
static apr_bucket *cc_body_split_at(apr_bucket_brigade *bb, apr_size_t at)
{
    apr_bucket *b;
    apr_size_t pos = 0;

    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb); b = APR_BUCKET_NEXT(b)) {
        if (APR_BUCKET_IS_METADATA(b)) {
            if (APR_BUCKET_IS_EOS(b)) {
                return NULL;
            }
            continue;
        }
        if (b->length == (apr_size_t)-1) {
            return NULL;
        }
        if (at - pos <= b->length && at > pos) {
            if (at - pos < b->length) {
                apr_bucket_split(b, at - pos);
            }
            return b;
        }
        pos += b->length;
    }
    return NULL;
}

/* The cached end of <body> in the file of ic->file_key, or -1. */
static apr_ssize_t cc_body_get(const cc_inject_ctx *ic)
{
    apr_uintptr_t v;

    cc_body_lock(1);
    v = (apr_uintptr_t)apr_hash_get(cc_body_cache, ic->file_key, (apr_ssize_t)ic->file_key_len);
    cc_body_lock(0);
    return v ? (apr_ssize_t)(v - 1) : -1;
}

static void cc_body_put(const cc_inject_ctx *ic, apr_size_t at)
{
    cc_body_lock(1);
    if (apr_hash_count(cc_body_cache) >= CC_BODY_CACHE_ENTRIES) {
        apr_pool_clear(cc_body_pool);
        cc_body_cache = cc_body_make();
    }
    apr_hash_set(cc_body_cache, apr_pmemdup(cc_body_pool, ic->file_key, ic->file_key_len),
                 (apr_ssize_t)ic->file_key_len, (void *)(apr_uintptr_t)(at + 1));
    cc_body_lock(0);
}

static cc_inject_ctx *cc_inject_start(ap_filter_t *f)
{
    request_rec *r = f->r;
    const cc_req_ctx *ctx = cc_ctx_get(r);
    cc_inject_ctx *ic = apr_pcalloc(r->pool, sizeof(*ic));

    cc_matcher_init(&ic->matcher);
    cc_render_init(r, ctx, &ic->rc, cc_original_uri(r));
    cc_state_seed(ctx->conf, &ic->rc);
    cc_inject_render(r, ic);
    ic->late_nonce = !ic->rc.nonce && !ic->rc.style_nonce && cc_late_headers_filter(f);
    if (ic->late_nonce) {
        ap_add_output_filter_handle(cc_late_handle, ic, r, r->connection);
    }
    cc_render_state_tag(&ic->rc, ic->state);
    ic->rest = apr_brigade_create(r->pool, f->c->bucket_alloc);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "cookieconsent: looking for <body> to insert "
                  "the %s (lang %s%s)", cc_render_shows_banner(&ic->rc) ? "banner"
                  : "settings button", ic->rc.lang, ic->late_nonce ? ", CSP nonce read after "
                  "mod_headers" : "");
    return ic;
}

/* Passes the buckets before b and keeps the rest in bb, so a page without <body> (or with a very
 * long head) never piles up in memory while we look. */
static apr_status_t cc_inject_pass_before(ap_filter_t *f, cc_inject_ctx *ic,
                                          apr_bucket_brigade *bb, apr_bucket *b)
{
    apr_status_t rv;

    cc_inject_commit(f->r, ic);
    ic->rest = apr_brigade_split_ex(bb, b, ic->rest);
    rv = ap_pass_brigade(f->next, bb);
    apr_brigade_cleanup(bb);
    APR_BRIGADE_CONCAT(bb, ic->rest);
    return rv;
}

/* Inserts the snippet before the bucket `before` (the one after <body>, or EOS). */
static apr_status_t cc_inject_snippet(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket_brigade *bb,
                                      apr_bucket *before)
{
    apr_bucket_alloc_t *ba = f->c->bucket_alloc;
    apr_status_t rv;

    ic->done = 1;
    if (ic->late_nonce && !ic->committed) {
        /* mod_headers' late filter sets its headers on the first bytes it sees: send it the
         * bytes before the snippet (a flush gets them through mod_deflate, if it sits between);
         * COOKIECONSENT_LATE, right after it, keeps them, so nothing reaches the client before
         * the length with our nonce-carrying snippet is known. */
        APR_BUCKET_INSERT_BEFORE(before, apr_bucket_flush_create(ba));
        ic->rest = apr_brigade_split_ex(bb, before, ic->rest);
        ic->probing = 1;
        rv = ap_pass_brigade(f->next, bb);
        ic->probing = 0;
        apr_brigade_cleanup(bb);
        APR_BRIGADE_CONCAT(bb, ic->rest);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        cc_inject_render(f->r, ic);
        before = APR_BRIGADE_FIRST(bb);
    }
    else if (ic->late_nonce) {
        cc_inject_render(f->r, ic);     /* head bytes went out earlier: mod_headers has run */
    }
    ic->injected = 1;
    /* The fixed parts live as long as the configuration: no copy. */
    APR_BUCKET_INSERT_BEFORE(before, apr_bucket_immortal_create(ic->head, ic->head_len, ba));
    if (ic->mid_len) {
        APR_BUCKET_INSERT_BEFORE(before, apr_bucket_pool_create(ic->mid, ic->mid_len,
                                                                f->r->pool, ba));
    }
    if (ic->tail_len) {
        APR_BUCKET_INSERT_BEFORE(before, apr_bucket_immortal_create(ic->tail, ic->tail_len,
                                                                    ba));
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: injected the %s (%"
                  APR_SIZE_T_FMT " bytes%s)", cc_render_shows_banner(&ic->rc) ? "banner"
                  : "settings button", ic->snippet_len, ic->rc.nonce ? ", CSP nonce" : "");
    return APR_SUCCESS;
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
    if (APR_BRIGADE_FIRST(bb) == b || (!ic->committed && !cc_matcher_is_document(&ic->matcher))) {
        /* Nothing to deliver before b, or what is before may be a fragment we must not
         * change (whose length we do not know yet): wait for more. */
        return apr_bucket_read(b, data, len, APR_BLOCK_READ);
    }
    APR_BUCKET_INSERT_BEFORE(b, apr_bucket_flush_create(f->c->bucket_alloc));
    if ((rv = cc_inject_pass_before(f, ic, bb, b)) != APR_SUCCESS) {
        return rv;
    }
    return apr_bucket_read(b, data, len, APR_BLOCK_READ);
}

static apr_status_t cc_inject_scan(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket_brigade *bb,
                                   apr_bucket *b)
{
    apr_size_t scanned = 0, len;
    apr_ssize_t at;
    const char *data;
    apr_status_t rv;

    while (!ic->done && b != APR_BRIGADE_SENTINEL(bb)) {
        if (APR_BUCKET_IS_EOS(b)) {
            /* No <body> tag: the end of a document gets the snippet, a fragment nothing. A
             * HEAD answered without a body (a proxy) gets the GET's headers but no bytes:
             * adding some would make httpd recount the length from them alone. */
            if (!ic->seen_data && f->r->header_only) {
                ic->headless = 1;
                ic->done = 1;
            }
            else if (cc_matcher_is_document(&ic->matcher)) {
                if ((rv = cc_inject_snippet(f, ic, bb, b)) != APR_SUCCESS) {
                    return rv;
                }
            }
            else {
                ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: no banner: "
                              "a fragment, not a document");
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
            if (ic->file_key && (ic->scanned_total == 0 || ic->file_gated)) {
                /* Found in the file's first bytes (what follows may change, not those), or
                 * anywhere in what the gate made of the file. */
                cc_body_put(ic, ic->scanned_total + (apr_size_t)at);
            }
            if ((apr_size_t)at < len) {
                apr_bucket_split(b, (apr_size_t)at);
            }
            if ((rv = cc_inject_snippet(f, ic, bb, APR_BUCKET_NEXT(b))) != APR_SUCCESS) {
                return rv;
            }
            break;
        }
        ic->scanned_total += len;
        if (ic->matcher.start == CC_MATCHER_START_FOREIGN
            || (ic->matcher.start == CC_MATCHER_START_OTHER && !ic->matcher.html_seen
                && ic->scanned_total >= CC_SCAN_PASS)) {
            /* UTF-16/32, or no <html>/<body> in the first 64 KB of something that did not
             * start as a document: a fragment, left alone. */
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: no banner: %s",
                          ic->matcher.start == CC_MATCHER_START_FOREIGN ? "not ASCII-compatible"
                          : "a fragment, not a document");
            ic->done = 1;
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
    if (!ic->done && !ic->committed && !cc_matcher_is_document(&ic->matcher)
        && ic->scanned_total < CC_SCAN_PASS) {
        /* Nothing says yet whether this is a page (the snippet goes in, the length grows) or a
         * fragment (left alone, length kept): keep what was scanned, at most 64 KB, until the
         * next bytes or the end say. Only white space, comments or a fragment's first bytes
         * wait here; a page's head is passed on as it comes. */
        return ap_save_brigade(f, &ic->held, &bb, f->r->pool);
    }
    cc_inject_commit(f->r, ic);
    if (ic->done) {
        ap_remove_output_filter(f);
    }
    return ap_pass_brigade(f->next, bb);
}

static apr_status_t cc_banner_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    const char *why;
    cc_banner_verdict_e v;
    cc_inject_ctx *ic;
    apr_bucket *first;
    apr_ssize_t at;

    if (APR_BRIGADE_EMPTY(bb)) {
        return APR_SUCCESS;
    }
    if (!f->ctx) {
        /* Decide once, on the first call, then get out of the way (like mod_deflate). */
        if ((v = cc_inject_verdict(f->r, &why)) != CC_BANNER_APPLIES) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: no banner: %s",
                          why);
            if (v == CC_BANNER_NO_FRAGMENT_REQUEST) {
                cc_banner_vary(f->r);           /* the page itself would have got it */
            }
            else if (v == CC_BANNER_NO_PARTIAL) {
                cc_banner_vary(f->r);
                apr_table_mergen(f->r->headers_out, "Cache-Control", "private");
            }
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        /* HEAD goes through too: the body is dropped later, but the length, ETag and Vary
         * must be those of the GET. */
        f->ctx = ic = cc_inject_start(f);
        if ((first = cc_body_key(f->r, ic, bb)) && (at = cc_body_get(ic)) > 0
            && (ic->file_gated ? (first = cc_body_split_at(bb, (apr_size_t)at)) != NULL
                : (apr_size_t)at < first->length)) {
            apr_status_t rv;
            /* Seen before: the snippet goes in at the cached offset, nothing is read. */
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: <body> ends at "
                          "byte %" APR_SSIZE_T_FMT " (cached for this file%s)", at,
                          ic->file_gated ? " as held" : "");
            if (!ic->file_gated) {
                apr_bucket_split(first, (apr_size_t)at);
            }
            ic->matcher.found = 1;
            ic->seen_data = 1;
            if ((rv = cc_inject_snippet(f, ic, bb, APR_BUCKET_NEXT(first))) != APR_SUCCESS) {
                return rv;
            }
            cc_inject_commit(f->r, ic);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
    }
    ic = f->ctx;
    first = APR_BRIGADE_FIRST(bb);
    if (ic->held && !APR_BRIGADE_EMPTY(ic->held)) {
        APR_BRIGADE_PREPEND(bb, ic->held);      /* already scanned: the scan resumes at first */
    }
    return cc_inject_scan(f, ic, bb, first);
}

static ap_filter_rec_t *cc_banner_handle;

/* A static file (no handler but the default one) already has its final type: a stylesheet or
 * an image never needs the filter, not even for its first call. */
int cc_static_not_html(request_rec *r)
{
    return (!r->handler || !strcmp(r->handler, "default-handler")) && r->content_type
           && !cc_type_is_html(r);
}

int cc_type_is_html(request_rec *r)
{
    cc_req_ctx *ctx = cc_ctx_get(r);
    int yes;

    /* insert_filter (twice), fixups and the filters ask: parsed once per media type string */
    if (ctx && ctx->html_known && ctx->html_type == r->content_type) {
        return ctx->html_yes;
    }
    yes = cc_http_media_type_is(r->content_type, "text/html");
    if (ctx) {
        ctx->html_known = 1;
        ctx->html_type = r->content_type;
        ctx->html_yes = yes;
    }
    return yes;
}

static void cc_insert_banner_filter(request_rec *r)
{
    if (!r->main && !cc_static_not_html(r) && cc_ctx_get(r) && cc_req_banner(r)) {
        ap_add_output_filter_handle(cc_banner_handle, NULL, r, r->connection);
    }
}

void cc_banner_register(void)
{
    ap_hook_post_config(cc_banner_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(cc_fixups, NULL, NULL, APR_HOOK_LAST);
    ap_hook_child_init(cc_body_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* LAST, after COOKIECONSENT_GATE's (LAST - 1): of one type, the filter added first runs first */
    ap_hook_insert_filter(cc_insert_banner_filter, NULL, NULL, APR_HOOK_LAST);
    /* RESOURCE: after the handler's own content filters (SSI), before mod_deflate. */
    cc_banner_handle = ap_register_output_filter(CC_BANNER_FILTER, cc_banner_filter, NULL,
                                                 AP_FTYPE_RESOURCE);
    /* CONTENT_SET, added during the response: it lands after mod_headers' filter. */
    cc_late_handle = ap_register_output_filter(CC_LATE_FILTER, cc_late_filter, NULL,
                                               AP_FTYPE_CONTENT_SET);
}

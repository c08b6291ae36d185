/* mod_cc_gate.c - COOKIECONSENT_GATE: third-party scripts, iframes and pixels wait for consent
 * (the httpd glue of src/cc_gate.c).
 *
 * AP_FTYPE_RESOURCE, inserted just before COOKIECONSENT_BANNER (so after SSI, before
 * mod_deflate), on HTML responses of sites whose declarations have Block or BlockInline rules.
 * It streams: every byte is fed to the rewriter once and passed on as soon as the rewriter says
 * it can no longer change (cc_gate_hold); what is kept is at most a start tag, or a start tag and
 * CC_GATE_INLINE_MAX bytes of inline script, whatever the size of the page. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_strings.h"

#include "cc_decision.h"
#include "cc_gate.h"
#include "cc_html.h"
#include "cc_render.h"
#include "cc_text.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

typedef struct {
    cc_gate_t *gate;
    cc_render_t rc;
    apr_bucket_brigade *held;           /* read, not passed on yet */
    apr_off_t held_start;               /* input offset of held's first byte */
    apr_off_t shift;                    /* bytes held has more than the input it stands for */
    apr_off_t fed;                      /* input bytes read so far */
    int edits;
} cc_gate_ctx;

static ap_filter_rec_t *cc_gate_handle;

static int cc_gate_wanted(const cc_decl_t *d)
{
    return d->gated_mask || (d->gcm && d->gcm->nelts);
}

/* Google Consent Mode's default for this visitor: inline with the response's CSP nonce, else a
 * same-origin script whose URL names the state (cacheable, allowed by script-src 'self'). */
static const char *cc_gate_gcm_tag(request_rec *r, const cc_render_t *rc)
{
    const char *csp = apr_table_get(r->headers_out, "Content-Security-Policy");
    const char *nonce = NULL;

    if (!csp) {
        csp = apr_table_get(r->err_headers_out, "Content-Security-Policy");
    }
    if (csp) {
        nonce = cc_csp_nonce(r->pool, csp, "script-src");
    }
    if (nonce) {
        return apr_pstrcat(r->pool, "<script nonce=\"", cc_html_escape(r->pool, nonce), "\">",
                           cc_gcm_script(r->pool, rc->decl, rc->dec->allowed), "</script>",
                           NULL);
    }
    return apr_psprintf(r->pool, "<script src=\"%s/consent-mode.js?s=%x&amp;v=%s\"></script>",
                        cc_html_escape(r->pool, rc->endpoint),
                        (unsigned)(rc->dec->allowed & rc->decl->optional_mask),
                        rc->decl->fingerprint);
}

static int cc_gate_media_type_is(const char *type, const char *want)
{
    apr_size_t n = strlen(want);

    return type && !strncasecmp(type, want, n) && (type[n] == '\0' || type[n] == ';'
                                                   || type[n] == ' ');
}

/* Why this response is not rewritten, or NULL. Any status with an HTML body: a 404 page with
 * the site's analytics snippet loads it as surely as a 200. Fragments too: htmx and Turbo
 * insert their scripts into the page. */
static const char *cc_gate_skip(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");
    const char *cs;

    if (!enc) {
        enc = apr_table_get(r->err_headers_out, "Content-Encoding");
    }
    if (r->main) {
        return "subrequest";
    }
    if (!ctx || !ctx->conf->decl || !cc_gate_wanted(ctx->conf->decl) || !cc_req_enabled(r)) {
        return "no Block, BlockInline or CookieConsentGoogleConsent here";
    }
    if (apr_table_get(r->notes, CC_NOTE_ENDPOINT)) {
        return "the module's own page";
    }
    if (r->status == HTTP_PARTIAL_CONTENT || r->status == HTTP_NOT_MODIFIED
        || r->status == HTTP_NO_CONTENT) {
        return "no whole body";
    }
    if (!cc_gate_media_type_is(r->content_type, "text/html")) {
        return "not text/html";
    }
    cs = ap_strcasestr(r->content_type, "charset=");
    if (cs && (ap_strcasestr(cs, "utf-16") || ap_strcasestr(cs, "utf-32")
               || ap_strcasestr(cs, "ucs-"))) {
        return "a charset that is not ASCII-compatible";
    }
    if ((enc && strcasecmp(enc, "identity")) || (r->content_encoding
                                                 && strcasecmp(r->content_encoding, "identity"))) {
        return "already encoded";
    }
    return NULL;
}

/* "scheme://host[:port]" of the request, to resolve the page's relative URLs. */
static const char *cc_gate_origin(request_rec *r)
{
    apr_port_t port = ap_get_server_port(r);
    const char *scheme = ap_http_scheme(r);

    if (ap_is_default_port(port, r)) {
        return apr_pstrcat(r->pool, scheme, "://", r->hostname ? r->hostname : "localhost", NULL);
    }
    return apr_psprintf(r->pool, "%s://%s:%u", scheme, r->hostname ? r->hostname : "localhost",
                        (unsigned)port);
}

static cc_gate_ctx *cc_gate_start(ap_filter_t *f)
{
    request_rec *r = f->r;
    cc_gate_ctx *gc = apr_pcalloc(r->pool, sizeof(*gc));
    const char *path = cc_original_uri(r), *q;

    cc_render_init(r, cc_ctx_get(r), &gc->rc, path);
    if ((q = strchr(path, '?'))) {
        path = apr_pstrmemdup(r->pool, path, (apr_size_t)(q - path));
    }
    gc->gate = cc_gate_create(r->pool, &gc->rc, cc_gate_origin(r), path);
    if (gc->rc.decl->gcm && gc->rc.decl->gcm->nelts) {
        cc_gate_set_head(gc->gate, cc_gate_gcm_tag(r, &gc->rc));
    }
    gc->held = apr_brigade_create(r->pool, f->c->bucket_alloc);
    /* The length is not known before the end, and the bytes depend on the visitor's choice:
     * no length, no validator a cache could reuse for another visitor, a Vary that says so. A
     * Range would slice the rewritten page: the byterange filter (after us) sends it whole. */
    apr_table_unset(r->headers_out, "Content-Length");
    apr_table_unset(r->headers_out, "Content-MD5");
    apr_table_unset(r->headers_out, "ETag");
    apr_table_unset(r->headers_out, "Last-Modified");
    apr_table_unset(r->headers_in, "Range");
    apr_table_unset(r->headers_in, "If-Range");
    cc_banner_vary(r);
    return gc;
}

/* Applies the rewriter's new edits to held. */
static apr_status_t cc_gate_apply(ap_filter_t *f, cc_gate_ctx *gc)
{
    apr_array_header_t *edits = cc_gate_edits(gc->gate);
    apr_bucket *from, *to, *b, *next;
    apr_status_t rv;
    int i;

    for (i = 0; i < edits->nelts; i++) {
        const cc_gate_edit_t *e = &APR_ARRAY_IDX(edits, i, cc_gate_edit_t);
        apr_off_t s = e->start - gc->held_start + gc->shift;
        apr_size_t n = strlen(e->text);

        if ((rv = apr_brigade_partition(gc->held, s, &from)) != APR_SUCCESS
            || (rv = apr_brigade_partition(gc->held, s + (e->end - e->start), &to))
               != APR_SUCCESS) {
            return rv;
        }
        for (b = from; b != to; b = next) {
            next = APR_BUCKET_NEXT(b);
            apr_bucket_delete(b);
        }
        APR_BUCKET_INSERT_BEFORE(to, apr_bucket_pool_create(e->text, n, f->r->pool,
                                                             f->c->bucket_alloc));
        gc->shift += (apr_off_t)n - (e->end - e->start);
        gc->edits++;
    }
    apr_array_clear(edits);
    return APR_SUCCESS;
}

/* Passes what can no longer change: held up to the rewriter's hold, all of it when nothing is
 * held, plus a flush when asked. */
static apr_status_t cc_gate_pass(ap_filter_t *f, cc_gate_ctx *gc, int flush)
{
    apr_off_t hold = cc_gate_hold(gc->gate);
    apr_bucket_brigade *rest;
    apr_bucket *after;
    apr_status_t rv;

    if (hold < 0) {
        hold = gc->fed;
    }
    if (hold > gc->held_start) {
        if ((rv = apr_brigade_partition(gc->held, hold - gc->held_start + gc->shift, &after))
            != APR_SUCCESS) {
            return rv;
        }
        rest = after == APR_BRIGADE_SENTINEL(gc->held)
               ? apr_brigade_create(f->r->pool, f->c->bucket_alloc)
               : apr_brigade_split_ex(gc->held, after, NULL);
        if (flush) {
            APR_BRIGADE_INSERT_TAIL(gc->held, apr_bucket_flush_create(f->c->bucket_alloc));
        }
        rv = ap_pass_brigade(f->next, gc->held);
        apr_brigade_cleanup(gc->held);
        APR_BRIGADE_CONCAT(gc->held, rest);
        apr_brigade_destroy(rest);
        gc->held_start = hold;
        gc->shift = 0;
        return rv;
    }
    return APR_SUCCESS;
}

static void cc_gate_done(ap_filter_t *f, cc_gate_ctx *gc)
{
    if (cc_gate_overlong(gc->gate)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, f->r, "cookieconsent: %d element(s) of %s "
                      "left as written: a start tag over %d bytes or an inline script over %d "
                      "bytes is not read to the end", cc_gate_overlong(gc->gate),
                      cc_original_uri(f->r), CC_GATE_TAG_MAX, CC_GATE_INLINE_MAX);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: %d element(s) held or "
                  "activated in %" APR_OFF_T_FMT " bytes", gc->edits, gc->fed);
}

apr_status_t cc_gate_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    cc_gate_ctx *gc = f->ctx;
    apr_bucket *b;
    const char *data, *why;
    apr_size_t len;
    apr_status_t rv;

    if (APR_BRIGADE_EMPTY(bb)) {
        return APR_SUCCESS;
    }
    if (!gc) {
        if ((why = cc_gate_skip(f->r)) != NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: nothing held: %s",
                          why);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        f->ctx = gc = cc_gate_start(f);
    }
    while (!APR_BRIGADE_EMPTY(bb)) {
        b = APR_BRIGADE_FIRST(bb);
        if (APR_BUCKET_IS_EOS(b)) {
            cc_gate_end(gc->gate);
            if ((rv = cc_gate_apply(f, gc)) != APR_SUCCESS) {
                return rv;
            }
            APR_BRIGADE_CONCAT(gc->held, bb);
            cc_gate_done(f, gc);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, gc->held);
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(gc->held, b);
            if (APR_BUCKET_IS_FLUSH(b) && (rv = cc_gate_pass(f, gc, 0)) != APR_SUCCESS) {
                return rv;
            }
            continue;
        }
        rv = apr_bucket_read(b, &data, &len, APR_NONBLOCK_READ);
        if (APR_STATUS_IS_EAGAIN(rv)) {
            /* The application has nothing more yet: what can go, goes now. */
            if ((rv = cc_gate_pass(f, gc, 1)) != APR_SUCCESS) {
                return rv;
            }
            rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
        }
        if (rv != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, f->r, "cookieconsent: reading the response");
            return rv;
        }
        APR_BUCKET_REMOVE(b);
        APR_BRIGADE_INSERT_TAIL(gc->held, b);
        cc_gate_feed(gc->gate, data, len);
        gc->fed += (apr_off_t)len;
        if ((rv = cc_gate_apply(f, gc)) != APR_SUCCESS) {
            return rv;
        }
        if (cc_gate_finished(gc->gate)) {
            /* Only Consent Mode here, and it is in: the rest goes as it is. */
            APR_BRIGADE_CONCAT(gc->held, bb);
            cc_gate_done(f, gc);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, gc->held);
        }
    }
    if ((rv = cc_gate_pass(f, gc, 0)) != APR_SUCCESS) {
        return rv;
    }
    /* What stays (a tag being read) outlives this call: transient buckets (mod_proxy's) must
     * own their bytes. */
    for (b = APR_BRIGADE_FIRST(gc->held); b != APR_BRIGADE_SENTINEL(gc->held);
         b = APR_BUCKET_NEXT(b)) {
        if ((rv = apr_bucket_setaside(b, f->r->pool)) != APR_SUCCESS && rv != APR_ENOTIMPL) {
            return rv;
        }
    }
    return APR_SUCCESS;
}

void cc_gate_insert(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);

    if (!r->main && ctx && ctx->conf->decl && cc_gate_wanted(ctx->conf->decl)) {
        ap_add_output_filter_handle(cc_gate_handle, NULL, r, r->connection);
    }
}

void cc_gate_register(void)
{
    cc_gate_handle = ap_register_output_filter(CC_GATE_FILTER, cc_gate_filter, NULL,
                                               AP_FTYPE_RESOURCE);
}

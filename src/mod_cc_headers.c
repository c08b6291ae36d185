/* mod_cc_headers.c - COOKIECONSENT_OUT, the response-header filter: refused Set-Cookie headers
 * removed from both header tables (whatever produced them), the consent cookie only from the
 * endpoint, kept cookies clamped to their row's retention, refused cookies the browser holds
 * expired, the validators of an injected page's 304. One pass on the first call, then it steps
 * aside. Also added on the error path (insert_error_filter) and for quick handlers. */
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

#include "cc_cookie.h"
#include "cc_decision.h"
#include "cc_glob.h"
#include "cc_decl.h"
#include "cc_http.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

/* ------------------------------------------------------------------------------------------ */
/* Response side                                                                                */

typedef struct {
    request_rec *r;
    const cc_req_ctx *ctx;
    const char *table;
    apr_array_header_t *kept;           /* const char *: Set-Cookie values to keep */
    int refused;
    int changed;                        /* kept ones rewritten (retention) */
} cc_strip_baton;

/* What the response may not set whatever the visitor chose: a cookie without a name (browsers
 * store "=_pk_id.x=1" and "_pk_id.x" under the empty name and send them back as "_pk_id.x=1",
 * which no expiry can reach), and the consent cookie unless the module's endpoint set it (an
 * application or a script behind it could grant consent the visitor never gave). */
static const char *cc_set_cookie_forbidden(const cc_strip_baton *b, const char *name,
                                           const char *value, cc_verdict_e v)
{
    if (!*name) {
        return "refused: cookie without a name";
    }
    if (v == CC_KEEP_CONSENT) {
        const apr_array_header_t *own = b->ctx->own_consent;
        int i;
        for (i = 0; own && i < own->nelts; i++) {
            if (!strcmp(value, APR_ARRAY_IDX(own, i, const char *))) {
                return NULL;
            }
        }
        return "refused: the consent cookie is set by the module only";
    }
    return NULL;
}

static int cc_check_set_cookie(void *baton, const char *key, const char *value)
{
    cc_strip_baton *b = baton;
    const char *name;
    const cc_cookie_decl_t *row = NULL;
    const char *why, *clamped;
    cc_verdict_e v;

    (void)key;
    if (cc_set_cookie_name(b->r->pool, value, &name)) {
        /* Browsers ignore such a header; dropping it is the safe reading. */
        v = CC_REFUSE_UNDECLARED;
        name = "(unparsable)";
        why = cc_verdict_reason(v);
    }
    else {
        v = cc_decision_cookie(b->ctx->conf->decl, &b->ctx->dec, name, &row);
        if (!row && *name && (v == CC_REFUSE_UNDECLARED || v == CC_KEEP_UNDECLARED)) {
            cc_discover_set_cookie(b->r, b->ctx, value);    /* parses it whole (rare path) */
        }
        why = cc_set_cookie_forbidden(b, name, value, v);
        if (why) {
            v = CC_REFUSE_UNDECLARED;
            if (b->ctx->conf->set.report == 0) {
                ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, b->r, "cookieconsent: dropped "
                              "Set-Cookie \"%s\" in %s (%s) on %s %s", name, b->table, why,
                              b->r->method, cc_original_uri(b->r));
            }
        }
        else {
            why = cc_verdict_reason(v);
        }
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: Set-Cookie \"%s\" in %s%s%s:"
                  " %s", name, b->table, row ? ", row " : "", row ? row->label : "", why);
    if (cc_verdict_keeps(v)) {
        if (row && row->retention >= 0 && b->ctx->conf->set.clamp
            && (clamped = cc_set_cookie_clamp(b->r->pool, value, row->retention, cc_now()))
               != value) {
            cc_stat_add(b->ctx->conf, CC_STAT_CLAMPED, 1);
            if (b->ctx->conf->set.report) {
                cc_report(b->r, "shorten Set-Cookie", name, " to its row's Retention",
                          row->retention_text);
            }
            else {
                ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: Set-Cookie "
                              "\"%s\" clamped to the Retention %s of row %s: %s", name,
                              row->retention_text, row->label, clamped);
                value = clamped;
                b->changed++;
            }
        }
        APR_ARRAY_PUSH(b->kept, const char *) = value;
        return 1;
    }
    b->refused++;
    if (b->ctx->conf->set.report) {
        cc_report(b->r, "remove Set-Cookie", name, "", why);
        APR_ARRAY_PUSH(b->kept, const char *) = value;
    }
    return 1;
}

/* Removes refused Set-Cookie headers from t. Kept ones are re-added one per header, in order, so
 * they are never merged; other headers keep their order. */
static void cc_strip_set_cookies(request_rec *r, const cc_req_ctx *ctx, apr_table_t *t,
                                 const char *name)
{
    cc_strip_baton b = {r, ctx, name, NULL, 0, 0};
    int i;

    if (!apr_table_get(t, "Set-Cookie")) {
        return;
    }
    b.kept = apr_array_make(r->pool, 4, sizeof(const char *));
    apr_table_do(cc_check_set_cookie, &b, t, "Set-Cookie", NULL);
    if (b.refused) {
        cc_stat_add(ctx->conf, CC_STAT_SET_COOKIE_REMOVED, (apr_uint32_t)b.refused);
    }
    if ((!b.refused && !b.changed) || ctx->conf->set.report) {
        return;
    }
    apr_table_unset(t, "Set-Cookie");
    for (i = 0; i < b.kept->nelts; i++) {
        apr_table_addn(t, "Set-Cookie", APR_ARRAY_IDX(b.kept, i, const char *));
    }
}

#define CC_EXPIRE_SCAN 16                   /* held cookies compared pairwise, at most */

static int cc_expirable_name(const char *name)
{
    /* Only names a browser could have stored and that cannot break the header. */
    return *name && cc_token_valid(name);
}

/* Expires the refused cookies the browser sent, in every declared variant. */
static void cc_expire_held(request_rec *r, cc_req_ctx *ctx)
{
    const cc_cookie_t *c = (const cc_cookie_t *)ctx->held->elts;
    apr_table_t *seen = NULL;
    const cc_cookie_decl_t *row;
    apr_array_header_t *exp;
    cc_verdict_e v;
    int i, j, dup;

    cc_held_verdicts(r->pool, ctx);     /* again if the endpoint's POST changed the decision */
    if (!ctx->refused_held) {
        return;
    }
    for (i = 0; i < ctx->held->nelts; i++) {
        v = ctx->verdicts[i];
        row = ctx->rows[i];
        if (cc_verdict_keeps(v) || !cc_expirable_name(c[i].name)) {
            continue;
        }
        /* Once per name: a few cookies are compared with the ones before, many go through a
         * table (a Cookie header of a thousand names must not cost a million compares). */
        if (ctx->held->nelts <= CC_EXPIRE_SCAN) {
            for (dup = 0, j = 0; j < i && !dup; j++) {
                dup = !strcmp(c[j].name, c[i].name);
            }
            if (dup) {
                continue;
            }
        }
        else {
            if (!seen) {
                seen = apr_table_make(r->pool, 16);
            }
            if (apr_table_get(seen, c[i].name)) {
                continue;
            }
            apr_table_setn(seen, c[i].name, "1");
        }
        cc_stat_add(ctx->conf, CC_STAT_EXPIRED, 1);
        if (ctx->conf->set.report) {
            cc_report(r, "expire cookie", c[i].name, " held by the browser",
                      cc_verdict_reason(v));
            continue;
        }
        exp = cc_decl_expiries(r->pool, row, c[i].name, r->hostname, cc_https(r));
        for (j = 0; j < exp->nelts; j++) {
            apr_table_addn(r->err_headers_out, "Set-Cookie", APR_ARRAY_IDX(exp, j, const char *));
        }
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "cookieconsent: expiring held cookie "
                      "\"%s\" (%d variant(s)): %s", c[i].name, exp->nelts, cc_verdict_reason(v));
    }
}

static apr_status_t cc_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    cc_req_ctx *ctx = cc_ctx_get(r);

    /* Headers are final when the first brigade reaches us (we sit just before the protocol
     * filters), so one pass on the first call is enough; then we step aside. */
    if (ctx && !r->main && ctx->headers_done_for != r && cc_req_enabled(r)) {
        ctx->headers_done_for = r;
        if (r->status == HTTP_NOT_MODIFIED && apr_table_get(r->notes, CC_NOTE_STATE)) {
            /* The 304 of an injected page: the validators and Vary of the 200 it stands for. */
            if (apr_table_get(r->headers_out, "ETag")) {
                apr_table_setn(r->headers_out, "ETag",
                               cc_http_state_etag(r->pool, apr_table_get(r->headers_out, "ETag"),
                                                  apr_table_get(r->notes, CC_NOTE_STATE)));
            }
            apr_table_unset(r->headers_out, "Last-Modified");
            cc_banner_vary(r);
        }
        cc_strip_set_cookies(r, ctx, r->headers_out, "headers_out");
        cc_strip_set_cookies(r, ctx, r->err_headers_out, "err_headers_out");
        cc_expire_held(r, ctx);
    }
    cc_interim_final(r);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static ap_filter_rec_t *cc_out_handle;

static void cc_add_output_filter(request_rec *r)
{
    ap_filter_t *f;

    for (f = r->output_filters; f; f = f->next) {
        if (f->frec == cc_out_handle) {
            return;
        }
    }
    ap_add_output_filter_handle(cc_out_handle, NULL, r, r->connection);
}

static void cc_insert_filter(request_rec *r)
{
    if (!r->main && cc_ctx_get(r)) {
        cc_add_output_filter(r);
    }
}

/* Added as soon as the request has a context, so that quick handlers (mod_cache), which skip
 * insert_filter, are covered too. */
static int cc_headers_post_read_request(request_rec *r)
{
    cc_insert_filter(r);
    return DECLINED;
}

void cc_headers_register(void)
{
    /* after mod_cc_request.c's (FIRST), which makes the context */
    ap_hook_post_read_request(cc_headers_post_read_request, NULL, NULL, APR_HOOK_FIRST + 1);
    ap_hook_insert_filter(cc_insert_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_error_filter(cc_insert_filter, NULL, NULL, APR_HOOK_LAST);
    /* After mod_headers' fixups (AP_FTYPE_CONTENT_SET), before the protocol filters that send
     * the headers (AP_FTYPE_PROTOCOL). */
    cc_out_handle = ap_register_output_filter(CC_FILTER_NAME, cc_out_filter, NULL,
                                              AP_FTYPE_PROTOCOL - 1);
}

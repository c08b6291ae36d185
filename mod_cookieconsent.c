/*
 * mod_cookieconsent.c - server-side cookie consent for Apache httpd 2.4 (the httpd glue).
 *
 * The decisions live in src/cc_*.c, which know nothing of httpd. The glue maps httpd's request
 * life cycle onto them:
 *
 *   post_read_request  (here) read the consent cookie and Sec-GPC, decide, hide refused cookies
 *                      from the Cookie header(s) before rewrite, handlers, CGI or proxies see them
 *   header_parser      (here) honour "CookieConsent Off" in <Location>, export the decision
 *   COOKIECONSENT_OUT  (here) an output filter, also inserted on the error path, that removes
 *                      refused Set-Cookie headers from both header tables and expires refused
 *                      cookies the browser still holds, on its first call, then steps aside
 *   src/mod_cc_config.c    directives, merge, the startup check of the declarations
 *   src/mod_cc_banner.c    COOKIECONSENT_BANNER, the streamed injection after <body>
 *   src/mod_cc_endpoint.c  the URLs under CookieConsentEndpoint (consent, state, pages, assets)
 *   src/mod_cc_interim.c   the same removal in interim responses (100, 101, 103), which are
 *                          written below COOKIECONSENT_OUT
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_lib.h"
#include "apr_sha1.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_thread_mutex.h"

#include "cc_cookie.h"
#include "cc_decision.h"
#include "cc_decl.h"
#include "mod_cc.h"

/* ------------------------------------------------------------------------------------------ */
/* Request side                                                                                 */

cc_req_ctx *cc_ctx_get(request_rec *r)
{
    cc_req_ctx *ctx;

    /* Subrequests and internal redirects share the decision of the request that started them. */
    for (; r; r = r->main ? r->main : r->prev) {
        if ((ctx = ap_get_module_config(r->request_config, &cookieconsent_module))) {
            return ctx;
        }
    }
    return NULL;
}

int cc_https(request_rec *r)
{
    return !strcasecmp(ap_http_scheme(r), "https");
}

apr_int64_t cc_now(void)
{
    return (apr_int64_t)apr_time_sec(apr_time_now());
}

void cc_export_env(request_rec *r, cc_req_ctx *ctx)
{
    const cc_decl_t *d = ctx->conf->decl;
    apr_table_t *e = r->subprocess_env;

    ctx->env_for = r;
    apr_table_setn(e, "COOKIECONSENT_DECIDED", ctx->dec.decided ? "1" : "0");
    apr_table_setn(e, "COOKIECONSENT_SOURCE", cc_source_name(ctx->dec.source));
    apr_table_setn(e, "COOKIECONSENT_CATEGORIES", cc_decision_categories(r->pool, d, &ctx->dec,
                                                                         1, " "));
    apr_table_setn(e, "COOKIECONSENT_REFUSED", cc_decision_categories(r->pool, d, &ctx->dec,
                                                                      0, " "));
    if (ctx->dec.consent_id) {
        apr_table_setn(e, "COOKIECONSENT_ID", ctx->dec.consent_id);
    }
    else {
        apr_table_unset(e, "COOKIECONSENT_ID");
    }
}

/* Collects every Cookie header (HTTP/2 may split them) and the consent cookie's value. */
static int cc_collect_cookie(void *baton, const char *key, const char *value)
{
    cc_req_ctx *ctx = baton;

    (void)key;
    APR_ARRAY_PUSH(ctx->original, const char *) = value;
    cc_cookie_parse(ctx->original->pool, value, ctx->held);
    return 1;
}

/* Every value of the consent cookie the browser sent: a host-only copy and one a sibling
 * subdomain set for the parent domain can both be there (cc_decision_make_all decides). */
static apr_array_header_t *cc_consent_values(apr_pool_t *p, cc_req_ctx *ctx)
{
    const cc_cookie_t *c = (const cc_cookie_t *)ctx->held->elts;
    const char *name = ctx->conf->decl->consent_name;
    apr_array_header_t *out = apr_array_make(p, 1, sizeof(const char *));
    int i;

    for (i = 0; i < ctx->held->nelts; i++) {
        if (!strcmp(c[i].name, name)) {
            APR_ARRAY_PUSH(out, const char *) = c[i].value;
        }
    }
    ctx->consent_copies = out->nelts;
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Report mode: one NOTICE per distinct action and cookie name per child and minute            */

#define CC_REPORT_EVERY apr_time_from_sec(60)
#define CC_REPORT_KEYS 1024                 /* names remembered per child before starting over */

static apr_pool_t *cc_report_pool;
static apr_hash_t *cc_report_seen;          /* "action\0name" -> apr_time_t of the last NOTICE */
#if APR_HAS_THREADS
static apr_thread_mutex_t *cc_report_mutex;
#endif

void cc_report_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    apr_pool_create(&cc_report_pool, pchild);
    cc_report_seen = apr_hash_make(cc_report_pool);
#if APR_HAS_THREADS
    apr_thread_mutex_create(&cc_report_mutex, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

/* 1 when this (action, cookie) was not reported by this child in the last minute. */
static int cc_report_due(const char *action, const char *name)
{
    apr_time_t now = apr_time_now(), *last;
    apr_size_t alen = strlen(action), nlen = strlen(name);
    char key[256];
    int due = 1;

    if (!cc_report_seen || alen + nlen + 1 > sizeof(key)) {
        return 1;
    }
    memcpy(key, action, alen + 1);
    memcpy(key + alen + 1, name, nlen);
#if APR_HAS_THREADS
    if (cc_report_mutex) {
        apr_thread_mutex_lock(cc_report_mutex);
    }
#endif
    last = apr_hash_get(cc_report_seen, key, (apr_ssize_t)(alen + 1 + nlen));
    if (last && now - *last < CC_REPORT_EVERY) {
        due = 0;
    }
    else {
        if (!last) {
            if (apr_hash_count(cc_report_seen) >= CC_REPORT_KEYS) {
                apr_pool_clear(cc_report_pool);
                cc_report_seen = apr_hash_make(cc_report_pool);
            }
            last = apr_palloc(cc_report_pool, sizeof(*last));
            apr_hash_set(cc_report_seen, apr_pmemdup(cc_report_pool, key, alen + 1 + nlen),
                         (apr_ssize_t)(alen + 1 + nlen), last);
        }
        *last = now;
    }
#if APR_HAS_THREADS
    if (cc_report_mutex) {
        apr_thread_mutex_unlock(cc_report_mutex);
    }
#endif
    return due;
}

/* The request as the visitor asked for it, before any internal redirect (WordPress's
 * "RewriteRule . /index.php"); query string included. */
const char *cc_original_uri(request_rec *r)
{
    for (;;) {
        if (r->prev) {
            r = r->prev;
        }
        else if (r->main) {
            r = r->main;
        }
        else {
            break;
        }
    }
    return r->unparsed_uri ? r->unparsed_uri : "/";
}

/* "report: would ACTION "NAME" WHAT (why) on METHOD URI", at NOTICE once per child and minute
 * for each action and name, at TRACE1 otherwise. */
static void cc_report(request_rec *r, const char *action, const char *name, const char *what,
                      const char *why)
{
    int level = cc_report_due(action, name) ? APLOG_NOTICE : APLOG_TRACE1;

    ap_log_rerror(APLOG_MARK, level, 0, r, "cookieconsent: report: would %s \"%s\"%s (%s) on "
                  "%s %s", action, name, what, why, r->method, cc_original_uri(r));
}

typedef struct {
    request_rec *r;
    const cc_req_ctx *ctx;
} cc_keep_baton;

static int cc_keep_request_cookie(void *baton, const cc_cookie_t *cookie)
{
    cc_keep_baton *b = baton;
    const cc_cookie_decl_t *row;
    cc_verdict_e v = cc_decision_cookie(b->ctx->conf->decl, &b->ctx->dec, cookie->name, &row);

    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: request cookie \"%s\"%s%s: "
                  "%s", cookie->name, row ? " row " : "", row ? row->label : "",
                  cc_verdict_reason(v));
    if (cc_verdict_keeps(v)) {
        return 1;
    }
    if (b->ctx->conf->report == 1) {
        cc_report(b->r, "hide cookie", cookie->name, " from the application",
                  cc_verdict_reason(v));
        return 1;
    }
    return 0;
}

/* Rewrites the Cookie header(s) from the originals without the refused cookies. */
static void cc_filter_request_cookies(request_rec *r, cc_req_ctx *ctx)
{
    cc_keep_baton b = {r, ctx};
    const char *kept;
    int i, dropped, total = 0;

    apr_table_unset(r->headers_in, "Cookie");
    for (i = 0; i < ctx->original->nelts; i++) {
        kept = cc_cookie_header_filter(r->pool, APR_ARRAY_IDX(ctx->original, i, const char *),
                                       cc_keep_request_cookie, &b, &dropped);
        total += dropped;
        if (*kept) {
            apr_table_addn(r->headers_in, "Cookie", kept);
        }
    }
    ctx->filtered = 1;
    if (total) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "cookieconsent: %d cookie(s) hidden from "
                      "the application", total);
    }
}

static void cc_restore_request_cookies(request_rec *r, cc_req_ctx *ctx)
{
    int i;

    apr_table_unset(r->headers_in, "Cookie");
    for (i = 0; i < ctx->original->nelts; i++) {
        apr_table_addn(r->headers_in, "Cookie", APR_ARRAY_IDX(ctx->original, i, const char *));
    }
    ctx->filtered = 0;
}

static cc_req_ctx *cc_ctx_create(request_rec *r)
{
    const cc_srv_conf *conf = cc_srv(r->server);
    cc_req_ctx *ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    const cc_decl_t *d = conf->decl;

    ctx->conf = conf;
    ctx->held = apr_array_make(r->pool, 8, sizeof(cc_cookie_t));
    ctx->original = apr_array_make(r->pool, 2, sizeof(const char *));
    apr_table_do(cc_collect_cookie, ctx, r->headers_in, "Cookie", NULL);
    cc_decision_make_all(r->pool, d, cc_consent_values(r->pool, ctx),
                         apr_table_get(r->headers_in, "Sec-GPC"), conf->gpc != 0, cc_now(),
                         cc_conf_lifetime(conf), &ctx->dec);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "cookieconsent: decision: %s, source %s, "
                  "consent cookie %s, allowed [%s]", ctx->dec.decided ? "decided" : "undecided",
                  cc_source_name(ctx->dec.source), cc_consent_status_name(ctx->dec.cookie),
                  cc_decision_categories(r->pool, d, &ctx->dec, 1, " "));
    ap_set_module_config(r->request_config, &cookieconsent_module, ctx);
    return ctx;
}

static ap_filter_rec_t *cc_out_handle;
static ap_filter_rec_t *cc_banner_handle;

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

/* Runs before translate_name, so mod_rewrite, mod_proxy and handlers see the filtered header. */
int cc_post_read_request(request_rec *r)
{
    cc_req_ctx *ctx;

    /* Internal redirects run this hook again, on headers we already filtered: keep the decision
     * and the held cookies of the request that started the chain. */
    if (cc_ctx_get(r) || !cc_srv(r->server)->decl || !cc_dir_enabled(r->per_dir_config)) {
        return DECLINED;
    }
    ctx = cc_ctx_create(r);
    if (ctx->conf->filter_request != 0) {
        cc_filter_request_cookies(r, ctx);
    }
    cc_export_env(r, ctx);
    /* Added here too so quick handlers (mod_cache) that skip insert_filter are covered. */
    cc_add_output_filter(r);
    cc_interim_request(r, ctx);
    return DECLINED;
}

/* The per-directory switch is known only now: undo or do the request side accordingly. */
int cc_header_parser(request_rec *r)
{
    cc_req_ctx *ctx = cc_ctx_get(r);
    int enabled = cc_dir_enabled(r->per_dir_config);

    if (r->main) {
        if (ctx && enabled) {
            cc_export_env(r, ctx);
        }
        return DECLINED;
    }
    if (!ctx) {
        if (!enabled || !cc_srv(r->server)->decl) {
            return DECLINED;
        }
        ctx = cc_ctx_create(r);
    }
    cc_exclude_check(r, ctx);
    enabled = cc_req_enabled(r);
    cc_interim_request(r, enabled ? ctx : NULL);
    if (!enabled) {
        if (ctx->filtered) {
            cc_restore_request_cookies(r, ctx);
        }
        return DECLINED;
    }
    if (!ctx->filtered && ctx->conf->filter_request != 0) {
        cc_filter_request_cookies(r, ctx);
    }
    if (ctx->env_for != r) {
        cc_export_env(r, ctx);              /* an internal redirect, or <Location> On only */
    }
    return DECLINED;
}

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
static const char *cc_set_cookie_forbidden(const cc_strip_baton *b, const cc_set_cookie_t *sc,
                                           const char *value, cc_verdict_e v)
{
    if (!*sc->name) {
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
    cc_set_cookie_t sc;
    const cc_cookie_decl_t *row = NULL;
    const char *why, *clamped;
    cc_verdict_e v;

    (void)key;
    if (cc_set_cookie_parse(b->r->pool, value, &sc)) {
        /* Browsers ignore such a header; dropping it is the safe reading. */
        v = CC_REFUSE_UNDECLARED;
        sc.name = "(unparsable)";
        why = cc_verdict_reason(v);
    }
    else {
        v = cc_decision_cookie(b->ctx->conf->decl, &b->ctx->dec, sc.name, &row);
        why = cc_set_cookie_forbidden(b, &sc, value, v);
        if (why) {
            v = CC_REFUSE_UNDECLARED;
            if (b->ctx->conf->report != 1) {
                ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, b->r, "cookieconsent: dropped "
                              "Set-Cookie \"%s\" in %s (%s) on %s %s", sc.name, b->table, why,
                              b->r->method, cc_original_uri(b->r));
            }
        }
        else {
            why = cc_verdict_reason(v);
        }
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: Set-Cookie \"%s\" in %s%s%s:"
                  " %s", sc.name, b->table, row ? ", row " : "", row ? row->label : "", why);
    if (cc_verdict_keeps(v)) {
        if (row && row->retention >= 0 && b->ctx->conf->clamp != 0
            && (clamped = cc_set_cookie_clamp(b->r->pool, value, row->retention, cc_now()))
               != value) {
            if (b->ctx->conf->report == 1) {
                cc_report(b->r, "shorten Set-Cookie", sc.name, " to its row's Retention",
                          row->retention_text);
            }
            else {
                ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: Set-Cookie "
                              "\"%s\" clamped to the Retention %s of row %s: %s", sc.name,
                              row->retention_text, row->label, clamped);
                value = clamped;
                b->changed++;
            }
        }
        APR_ARRAY_PUSH(b->kept, const char *) = value;
        return 1;
    }
    b->refused++;
    if (b->ctx->conf->report == 1) {
        cc_report(b->r, "remove Set-Cookie", sc.name, "", why);
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
    if ((!b.refused && !b.changed) || ctx->conf->report == 1) {
        return;
    }
    apr_table_unset(t, "Set-Cookie");
    for (i = 0; i < b.kept->nelts; i++) {
        apr_table_addn(t, "Set-Cookie", APR_ARRAY_IDX(b.kept, i, const char *));
    }
}

static int cc_expirable_name(const char *name)
{
    /* Only names a browser could have stored and that cannot break the header. */
    return *name && cc_token_valid(name);
}

/* Expires the refused cookies the browser sent, in every declared variant. */
static void cc_expire_held(request_rec *r, const cc_req_ctx *ctx)
{
    const cc_cookie_t *c = (const cc_cookie_t *)ctx->held->elts;
    apr_table_t *seen = NULL;
    const cc_cookie_decl_t *row;
    apr_array_header_t *exp;
    cc_verdict_e v;
    int i, j;

    for (i = 0; i < ctx->held->nelts; i++) {
        v = cc_decision_cookie(ctx->conf->decl, &ctx->dec, c[i].name, &row);
        if (cc_verdict_keeps(v) || !cc_expirable_name(c[i].name)) {
            continue;
        }
        if (!seen) {
            seen = apr_table_make(r->pool, 4);
        }
        if (apr_table_get(seen, c[i].name)) {
            continue;
        }
        apr_table_setn(seen, c[i].name, "1");
        if (ctx->conf->report == 1) {
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

apr_status_t cc_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    cc_req_ctx *ctx = cc_ctx_get(r);

    /* Headers are final when the first brigade reaches us (we sit just before the protocol
     * filters), so one pass on the first call is enough; then we step aside. */
    if (ctx && !r->main && cc_req_enabled(r) && !apr_table_get(r->notes, CC_NOTE_DONE)) {
        apr_table_setn(r->notes, CC_NOTE_DONE, "1");
        if (r->status == HTTP_NOT_MODIFIED && apr_table_get(r->notes, CC_NOTE_STATE)) {
            /* The 304 of an injected page: the validators and Vary of the 200 it stands for. */
            if (apr_table_get(r->headers_out, "ETag")) {
                apr_table_setn(r->headers_out, "ETag",
                               cc_state_etag(r, apr_table_get(r->headers_out, "ETag"),
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

void cc_insert_filter(request_rec *r)
{
    if (!r->main && cc_ctx_get(r)) {
        cc_add_output_filter(r);
    }
}

void cc_insert_banner_filter(request_rec *r)
{
    /* Same type, added first: the rewriter runs before the banner filter. */
    cc_gate_insert(r);
    if (!r->main && cc_ctx_get(r) && cc_req_banner(r)) {
        ap_add_output_filter_handle(cc_banner_handle, NULL, r, r->connection);
    }
}

static void cc_register_hooks(apr_pool_t *p)
{
    ap_hook_check_config(cc_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cc_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(cc_report_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(cc_post_read_request, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_translate_name(cc_translate_name, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(cc_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_header_parser(cc_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(cc_fixups, NULL, NULL, APR_HOOK_LAST);
    ap_hook_handler(cc_handler, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_filter(cc_insert_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_filter(cc_insert_banner_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_error_filter(cc_insert_filter, NULL, NULL, APR_HOOK_LAST);
    /* After mod_headers' fixups (AP_FTYPE_CONTENT_SET), before the protocol filters that send
     * the headers (AP_FTYPE_PROTOCOL). */
    cc_out_handle = ap_register_output_filter(CC_FILTER_NAME, cc_out_filter, NULL,
                                              AP_FTYPE_PROTOCOL - 1);
    /* RESOURCE: after the handler's own content filters (SSI), before mod_deflate. */
    cc_banner_handle = ap_register_output_filter(CC_BANNER_FILTER, cc_banner_filter, NULL,
                                                 AP_FTYPE_RESOURCE);
    cc_banner_register();
    cc_gate_register();
    cc_interim_register_hooks(p);
}

AP_DECLARE_MODULE(cookieconsent) = {
    STANDARD20_MODULE_STUFF,
    cc_create_dir,
    cc_merge_dir,
    cc_create_srv,
    cc_merge_srv,
    cc_cmds,
    cc_register_hooks,
    AP_MODULE_FLAG_NONE
};

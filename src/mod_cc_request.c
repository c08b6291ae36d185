/* mod_cc_request.c - the per-request context: the decision read from the consent cookie and
 * Sec-GPC, the Cookie header(s) filtered before any handler sees them, the environment exported,
 * report mode's log lines.
 *
 *   post_read_request (FIRST)  decide, hide refused cookies from rewrite, handlers, CGI, proxies
 *   header_parser     (FIRST)  the per-directory switch and CookieConsentExclude are known:
 *                              undo or do the request side, export the decision
 *   child_init                 report mode's per-child memory of what it said
 */
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
#include "cc_decision.h"
#include "cc_decl.h"
#include "cc_form.h"
#include "cc_i18n.h"
#include "cc_render.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

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

/* The decision's category lists, built once per decision (a request chain exports them on
 * each of its requests; the endpoint's POST changes the decision). */
static void cc_category_lists(apr_pool_t *p, cc_req_ctx *ctx)
{
    if (ctx->lists_valid && ctx->lists_for == ctx->dec.allowed) {
        return;
    }
    ctx->allowed_list = cc_decision_categories(p, ctx->conf->decl, &ctx->dec, 1, " ");
    ctx->refused_list = cc_decision_categories(p, ctx->conf->decl, &ctx->dec, 0, " ");
    ctx->lists_for = ctx->dec.allowed;
    ctx->lists_valid = 1;
}

void cc_export_env(request_rec *r, cc_req_ctx *ctx)
{
    apr_table_t *e = r->subprocess_env;

    cc_category_lists(r->pool, ctx);
    if (apr_is_empty_table(e)) {
        /* Usually the first export, in post_read_request, before SetEnvIf, SetEnv or anything
         * else: append instead of replacing. */
        ctx->env_for = r;
        apr_table_addn(e, "COOKIECONSENT_DECIDED", ctx->dec.decided ? "1" : "0");
        apr_table_addn(e, "COOKIECONSENT_SOURCE", cc_source_name(ctx->dec.source));
        apr_table_addn(e, "COOKIECONSENT_CATEGORIES", ctx->allowed_list);
        apr_table_addn(e, "COOKIECONSENT_REFUSED", ctx->refused_list);
        if (ctx->dec.consent_id) {
            apr_table_addn(e, "COOKIECONSENT_ID", ctx->dec.consent_id);
        }
        return;
    }
    ctx->env_for = r;
    apr_table_setn(e, "COOKIECONSENT_DECIDED", ctx->dec.decided ? "1" : "0");
    apr_table_setn(e, "COOKIECONSENT_SOURCE", cc_source_name(ctx->dec.source));
    apr_table_setn(e, "COOKIECONSENT_CATEGORIES", ctx->allowed_list);
    apr_table_setn(e, "COOKIECONSENT_REFUSED", ctx->refused_list);
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
    APR_ARRAY_PUSH(ctx->original_end, int) = ctx->held->nelts;
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

static void cc_report_child_init(apr_pool_t *pchild, server_rec *s)
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
void cc_report(request_rec *r, const char *action, const char *name, const char *what,
                      const char *why)
{
    int level = cc_report_due(action, name) ? APLOG_NOTICE : APLOG_TRACE1;

    ap_log_rerror(APLOG_MARK, level, 0, r, "cookieconsent: report: would %s \"%s\"%s (%s) on "
                  "%s %s", action, name, what, why, r->method, cc_original_uri(r));
}

typedef struct {
    request_rec *r;
    const cc_req_ctx *ctx;
    int next;                           /* index in ctx->held of the cookie asked about */
} cc_keep_baton;

/* The verdict on each cookie the browser sent, for the current decision: computed once (the
 * request side, the expiries and the interim filter all ask), again only when the endpoint's
 * POST changed the decision. */
void cc_held_verdicts(apr_pool_t *p, cc_req_ctx *ctx)
{
    const cc_cookie_t *c = (const cc_cookie_t *)ctx->held->elts;
    int i, first = !ctx->verdicts;

    if (ctx->verdicts && ctx->verdicts_for == ctx->dec.allowed) {
        return;
    }
    if (!ctx->verdicts) {
        ctx->verdicts = apr_palloc(p, sizeof(*ctx->verdicts) * (apr_size_t)(ctx->held->nelts + 1));
        ctx->rows = apr_palloc(p, sizeof(*ctx->rows) * (apr_size_t)(ctx->held->nelts + 1));
    }
    ctx->refused_held = 0;
    for (i = 0; i < ctx->held->nelts; i++) {
        ctx->verdicts[i] = cc_decision_cookie(ctx->conf->decl, &ctx->dec, c[i].name, &ctx->rows[i]);
        ctx->refused_held += !cc_verdict_keeps(ctx->verdicts[i]);
        if (first && !ctx->rows[i] && (ctx->verdicts[i] == CC_REFUSE_UNDECLARED
                                       || ctx->verdicts[i] == CC_KEEP_UNDECLARED)) {
            cc_discover_request_cookie(ctx->made_for, ctx, c[i].name);
        }
    }
    ctx->verdicts_for = ctx->dec.allowed;
}

static int cc_keep_request_cookie(void *baton, const cc_cookie_t *cookie)
{
    cc_keep_baton *b = baton;
    int i = b->next++;
    const cc_cookie_decl_t *row = b->ctx->rows[i];
    cc_verdict_e v = b->ctx->verdicts[i];

    (void)cookie;

    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: request cookie \"%s\"%s%s: "
                  "%s", cookie->name, row ? " row " : "", row ? row->label : "",
                  cc_verdict_reason(v));
    if (cc_verdict_keeps(v)) {
        return 1;
    }
    if (b->ctx->conf->set.report) {
        cc_report(b->r, "hide cookie", cookie->name, " from the application",
                  cc_verdict_reason(v));
        return 1;
    }
    return 0;
}

/* Rewrites the Cookie header(s) from the originals without the refused cookies. */
static void cc_filter_request_cookies(request_rec *r, cc_req_ctx *ctx)
{
    cc_keep_baton b = {r, ctx, 0};
    const char *kept;
    int i, from = 0, to, dropped, total = 0;

    cc_held_verdicts(r->pool, ctx);
    if (!ctx->refused_held && !APLOG_R_IS_LEVEL(r, APLOG_TRACE2)) {
        ctx->filtered = 1;          /* nothing to hide: the headers stay as they are */
        return;
    }
    apr_table_unset(r->headers_in, "Cookie");
    /* From the pairs parsed once (cc_collect_cookie), header by header. */
    for (i = 0; i < ctx->original->nelts; i++, from = to) {
        to = APR_ARRAY_IDX(ctx->original_end, i, int);
        kept = cc_cookie_join(r->pool, ctx->held, from, to, cc_keep_request_cookie, &b,
                              &dropped);
        total += dropped;
        if (!kept) {
            kept = APR_ARRAY_IDX(ctx->original, i, const char *);
        }
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

/* An APR array whose first n elements live in buf (zeroed, as the context is): pushing past
 * them moves it to the pool, as apr_array_push() does with any array. */
static apr_array_header_t *cc_array_in(apr_array_header_t *a, apr_pool_t *p, void *buf, int n,
                                       int size)
{
    a->pool = p;
    a->elt_size = size;
    a->nelts = 0;
    a->nalloc = n;
    a->elts = buf;
    return a;
}

static cc_req_ctx *cc_ctx_create(request_rec *r)
{
    const cc_srv_conf *conf = cc_srv(r->server);
    cc_req_ctx *ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    const cc_decl_t *d = conf->decl;
    cc_mac_signer_t sig;

    ctx->conf = conf;
    ctx->made_for = r;
    ctx->held = cc_array_in(&ctx->held_arr, r->pool, ctx->held_buf, 8, sizeof(cc_cookie_t));
    ctx->original = cc_array_in(&ctx->original_arr, r->pool, ctx->original_buf, 2,
                                sizeof(const char *));
    ctx->original_end = cc_array_in(&ctx->original_end_arr, r->pool, ctx->original_end_buf, 2,
                                    sizeof(int));
    apr_table_do(cc_collect_cookie, ctx, r->headers_in, "Cookie", NULL);
    cc_signer(r, conf, &sig);
    cc_decision_make_all(r->pool, d, &sig, cc_consent_values(r->pool, ctx),
                         apr_table_get(r->headers_in, "Sec-GPC"), conf->set.gpc, cc_now(),
                         cc_conf_lifetime(conf), &ctx->dec);
    if (ctx->dec.bad_mac) {
        cc_status_count(r, CC_STAT_BAD_SIGNATURE);
        /* once per request chain: internal redirects and subrequests reuse this context */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: consent cookie with a bad "
                      "MAC from %s ignored (forged, written for another site, or signed with a "
                      "key no longer in the secret file)", r->useragent_ip);
    }
    if (APLOG_R_IS_LEVEL(r, APLOG_TRACE1)) {
        cc_category_lists(r->pool, ctx);
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "cookieconsent: decision: %s, source %s, "
                      "consent cookie %s, allowed [%s]", ctx->dec.decided ? "decided"
                      : "undecided", cc_source_name(ctx->dec.source),
                      cc_consent_status_name(ctx->dec.cookie), ctx->allowed_list);
    }
    ap_set_module_config(r->request_config, &cookieconsent_module, ctx);
    return ctx;
}

/* Runs before translate_name, so mod_rewrite, mod_proxy and handlers see the filtered header. */
static int cc_post_read_request(request_rec *r)
{
    cc_req_ctx *ctx;

    /* Internal redirects run this hook again, on headers we already filtered: keep the decision
     * and the held cookies of the request that started the chain. */
    if (cc_ctx_get(r) || !cc_srv(r->server)->decl || !cc_dir_enabled(r->per_dir_config)) {
        return DECLINED;
    }
    ctx = cc_ctx_create(r);
    if (ctx->conf->set.filter_request) {
        cc_filter_request_cookies(r, ctx);
    }
    cc_export_env(r, ctx);
    return DECLINED;
}

/* The per-directory switch is known only now: undo or do the request side accordingly. */
static int cc_header_parser(request_rec *r)
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
    if (!enabled) {
        if (ctx->filtered) {
            cc_restore_request_cookies(r, ctx);
        }
        return DECLINED;
    }
    if (!r->prev) {
        /* once per visitor request, where the module is on (the status counters) */
        cc_stat_add(ctx->conf, ctx->dec.source == CC_SOURCE_GPC ? CC_STAT_GPC
                               : ctx->dec.decided ? CC_STAT_DECIDED : CC_STAT_UNDECIDED, 1);
    }
    if (!ctx->filtered && ctx->conf->set.filter_request) {
        cc_filter_request_cookies(r, ctx);
    }
    if (ctx->env_for != r) {
        cc_export_env(r, ctx);              /* an internal redirect, or <Location> On only */
    }
    return DECLINED;
}

/* ------------------------------------------------------------------------------------------ */
/* What the pages and the snippet are rendered for: language, return path                       */

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

void cc_render_init(request_rec *r, const cc_req_ctx *ctx, cc_render_t *rc, const char *ret)
{
    const cc_srv_conf *c = ctx->conf;

    memset(rc, 0, sizeof(*rc));
    rc->decl = c->decl;
    rc->dec = &ctx->dec;
    rc->lang = cc_lang_choose(c->set.languages, cc_query_arg(r, "lang"),
                              cc_held_cookie(ctx, c->lang_cookie),
                              apr_table_get(r->headers_in, "Accept-Language"));
    rc->endpoint = cc_conf_endpoint(c);
    rc->return_path = cc_return_path(ret);
    rc->asset_version = cc_assets_ver();
    rc->lifetime = cc_conf_lifetime(c);
}

void cc_request_register(void)
{
    ap_hook_post_read_request(cc_post_read_request, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_header_parser(cc_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_child_init(cc_report_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

/* mod_cc_interim.c - refused Set-Cookie headers removed from the responses written below
 * COOKIECONSENT_OUT (the httpd glue of src/cc_interim.c).
 *
 * ap_send_interim_response() writes 100, 101 and 103 responses as text straight into
 * r->connection->output_filters, and mod_proxy_wstunnel (without mod_proxy_http) copies the
 * backend's raw answer the same way, a 101 or, when the backend refuses the upgrade, a final
 * response: all pass below COOKIECONSENT_OUT, which only sees the final responses httpd builds.
 * So a connection filter reads them:
 *
 *   pre_connection     COOKIECONSENT_INTERIM (AP_FTYPE_CONNECTION: above mod_ssl, plaintext) on
 *                      the connections of ports where some server has declarations; it passes
 *                      brigades untouched unless armed
 *   post_read_request  cc_interim_request(): armed with the request's decision
 *   header_parser      cc_interim_request() again: follows an internal redirect, disarms where
 *                      CookieConsent is Off
 *   COOKIECONSENT_OUT  cc_interim_final(): the final response starts, disarmed before any of it
 *                      reaches the connection
 *   request pool       cleanup: disarmed, the decision is forgotten
 *
 * So while armed, a final (non-1xx) status line can only come from a raw relay: the core filters
 * its header block and disarms itself after it (its body is not looked at). After a 101 block the
 * core never looks at a byte again (the tunnel). */
#include "httpd.h"
#include "http_config.h"
#include "http_connection.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_strings.h"

#include "cc_decision.h"
#include "cc_interim.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

#define CC_INTERIM_FILTER "COOKIECONSENT_INTERIM"

/* Per connection, in c->pool. r and ctx belong to the request armed for (r->pool): they are
 * reset by that pool's cleanup, so they never outlive it on a keep-alive connection. */
typedef struct {
    cc_interim_t *core;             /* created when a request is first armed */
    apr_bucket_brigade *out;
    request_rec *r;                 /* the request the filter was last armed (or disarmed) for */
    const cc_req_ctx *ctx;          /* its decision; NULL when not armed */
} cc_interim_conn;

typedef struct {
    cc_interim_conn *st;
    request_rec *r;
} cc_interim_owner;

static ap_filter_rec_t *cc_interim_handle;

/* Ports whose connections get the filter (built at startup). */
static apr_array_header_t *cc_interim_ports;
static int cc_interim_any_port;

static cc_interim_conn *cc_interim_state(conn_rec *c)
{
    return ap_get_module_config(c->conn_config, &cookieconsent_module);
}

static int cc_interim_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                  server_rec *s)
{
    server_addr_rec *a;

    (void)plog, (void)ptemp;
    cc_interim_ports = apr_array_make(pconf, 4, sizeof(apr_port_t));
    cc_interim_any_port = 0;
    for (; s; s = s->next) {
        if (!cc_srv(s)->decl) {
            continue;
        }
        /* The main server answers for every address no virtual host claims; a name-based
         * virtual host shares the connections of its address: the port is what is known when
         * a connection starts. */
        if (!s->is_virtual) {
            cc_interim_any_port = 1;
        }
        for (a = s->addrs; a; a = a->next) {
            if (!a->host_port) {
                cc_interim_any_port = 1;
            }
            else {
                APR_ARRAY_PUSH(cc_interim_ports, apr_port_t) = a->host_port;
            }
        }
    }
    return OK;
}

static int cc_interim_wanted(conn_rec *c)
{
    int i;

    if (cc_interim_any_port) {
        return 1;
    }
    for (i = 0; c->local_addr && i < cc_interim_ports->nelts; i++) {
        if (APR_ARRAY_IDX(cc_interim_ports, i, apr_port_t) == c->local_addr->port) {
            return 1;
        }
    }
    return 0;
}

/* Also runs for mod_http2's stream connections (c->master set): in httpd 2.4 they carry
 * interim responses as HTTP/1.1 text too, which mod_http2 turns into HEADERS frames below us. */
static int cc_interim_pre_connection(conn_rec *c, void *csd)
{
    cc_interim_conn *st;

    (void)csd;
    if (!cc_interim_ports || !cc_interim_wanted(c)) {
        return DECLINED;
    }
    st = apr_pcalloc(c->pool, sizeof(*st));
    ap_set_module_config(c->conn_config, &cookieconsent_module, st);
    ap_add_output_filter_handle(cc_interim_handle, st, NULL, c);
    return OK;
}

static apr_status_t cc_interim_cleanup(void *data)
{
    cc_interim_owner *o = data;

    if (o->st->r == o->r) {
        o->st->r = NULL;
        o->st->ctx = NULL;
        if (o->st->core) {
            cc_interim_disarm(o->st->core);
        }
    }
    return APR_SUCCESS;
}

static const char *cc_interim_why(const char *name, apr_size_t len)
{
    if (!name) {
        return "refused: no cookie name within the first " APR_STRINGIFY(CC_INTERIM_HOLD)
               " bytes of the line";
    }
    return len ? "refused: control character in the name" : "refused: no cookie name";
}

static int cc_interim_keep(void *baton, int status, const char *name, apr_size_t len)
{
    cc_interim_conn *st = baton;
    request_rec *r = st->r;
    const cc_cookie_decl_t *row = NULL;
    const char *shown, *why, *kind;
    cc_verdict_e v;
    int keep = 0;

    if (!r || !st->ctx) {
        return 0;                       /* cannot happen: armed only with a decision */
    }
    if (!cc_interim_name_ok(name, len)) {
        shown = !name ? "(too long)" : len ? apr_pstrmemdup(r->pool, name, len) : "(nameless)";
        why = cc_interim_why(name, len);
    }
    else {
        shown = apr_pstrmemdup(r->pool, name, len);
        v = cc_decision_cookie(st->ctx->conf->decl, &st->ctx->dec, shown, &row);
        /* The consent cookie: only the endpoint sets it, and its answers are final responses
         * that go through COOKIECONSENT_OUT (never written below it). */
        keep = cc_verdict_keeps(v) && v != CC_KEEP_CONSENT;
        why = v == CC_KEEP_CONSENT ? "refused: the consent cookie is set only by the endpoint"
                                   : cc_verdict_reason(v);
    }
    shown = ap_escape_logitem(r->pool, shown);
    kind = status >= 100 && status <= 199 ? "interim response" : "response relayed raw";
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "cookieconsent: Set-Cookie \"%s\" in %d "
                  "%s%s%s: %s", shown, status, kind, row ? ", row " : "", row ? row->label : "",
                  why);
    if (!keep && st->ctx->conf->set.report) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "cookieconsent: report: would remove "
                      "Set-Cookie \"%s\" from a %d %s (%s)", shown, status, kind, why);
        return 1;
    }
    return keep;
}

void cc_interim_request(request_rec *r, const cc_req_ctx *ctx)
{
    conn_rec *c = r->connection;
    cc_interim_conn *st;
    cc_interim_owner *o;

    if (r->main || !(st = cc_interim_state(c))) {
        return;
    }
    if (st->r != r) {
        /* A new request, or the next one of an internal redirect chain (same pool). */
        o = apr_palloc(r->pool, sizeof(*o));
        o->st = st;
        o->r = r;
        apr_pool_cleanup_register(r->pool, o, cc_interim_cleanup, apr_pool_cleanup_null);
        st->r = r;
        st->ctx = NULL;
        if (ctx) {
            if (!st->core) {
                st->core = cc_interim_create(c->pool, cc_interim_keep, st);
                st->out = apr_brigade_create(c->pool, c->bucket_alloc);
            }
            st->ctx = ctx;
            cc_interim_arm(st->core);
            ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r, "cookieconsent: %s",
                          cc_interim_tunnel(st->core) ? "connection is a tunnel: interim "
                          "responses not looked at" : "interim responses filtered");
            return;
        }
    }
    else if (ctx || !st->ctx) {
        return;                         /* armed (or not) already */
    }
    st->ctx = NULL;
    if (st->core) {
        cc_interim_disarm(st->core);
    }
}

void cc_interim_final(request_rec *r)
{
    cc_interim_conn *st;

    if (!r->main && (st = cc_interim_state(r->connection)) && st->core) {
        cc_interim_disarm(st->core);
        st->ctx = NULL;
    }
}

static void cc_interim_emit(void *baton, const char *data, apr_size_t len)
{
    cc_interim_conn *st = baton;

    apr_brigade_write(st->out, NULL, NULL, data, len);
}

/* The core stopped looking at the bytes during this brigade: says why. */
static void cc_interim_stopped(cc_interim_conn *st)
{
    int status = cc_interim_status(st->core);

    if (!st->r) {
        return;
    }
    if (cc_interim_tunnel(st->core)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, st->r, "cookieconsent: 101 sent: the "
                      "connection is a tunnel, not looked at any more");
    }
    else if (status >= 0 && (status < 100 || status > 199)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, st->r, "cookieconsent: a %d response was "
                      "relayed raw on the connection (not through COOKIECONSENT_OUT, as "
                      "mod_proxy_wstunnel does with a refused upgrade): its Set-Cookie headers "
                      "filtered, its body and what follows passed untouched", status);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, st->r, "cookieconsent: bytes that are not "
                      "a status line written on the connection: passed untouched");
    }
}

static apr_status_t cc_interim_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    cc_interim_conn *st = f->ctx;
    apr_bucket *b;
    apr_status_t rv;
    const char *data;
    apr_size_t len, used;

    /* The common case: not armed, or a tunnel. Nothing is copied or looked at. */
    if (!st->core || !cc_interim_active(st->core) || APR_BRIGADE_EMPTY(bb)) {
        return ap_pass_brigade(f->next, bb);
    }
    while (!APR_BRIGADE_EMPTY(bb)) {
        b = APR_BRIGADE_FIRST(bb);
        if (!cc_interim_active(st->core)) {
            APR_BRIGADE_CONCAT(st->out, bb);    /* the rest passes as it is */
            break;
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            APR_BUCKET_REMOVE(b);               /* FLUSH, EOR, ...: in order */
            APR_BRIGADE_INSERT_TAIL(st->out, b);
            continue;
        }
        rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
        if (rv != APR_SUCCESS) {
            APR_BRIGADE_PREPEND(bb, st->out);
            return rv;
        }
        used = cc_interim_feed(st->core, data, len, cc_interim_emit, st);
        if (used < len) {
            /* The filter stopped inside this bucket: what follows is not looked at. */
            if (used) {
                apr_bucket_split(b, used);
                apr_bucket_delete(b);
            }
            APR_BRIGADE_CONCAT(st->out, bb);
            break;
        }
        apr_bucket_delete(b);
    }
    if (!cc_interim_active(st->core)) {
        cc_interim_stopped(st);
    }
    if (APR_BRIGADE_EMPTY(st->out)) {
        return APR_SUCCESS;                     /* everything is held: the start of a line */
    }
    rv = ap_pass_brigade(f->next, st->out);
    apr_brigade_cleanup(st->out);
    return rv;
}

/* After mod_cc_request.c's hooks (FIRST), which make the context and know the switches. */
static int cc_interim_post_read_request(request_rec *r)
{
    cc_interim_request(r, cc_ctx_get(r));
    return DECLINED;
}

static int cc_interim_header_parser(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);

    if (!r->main && ctx) {
        cc_interim_request(r, cc_req_enabled(r) ? ctx : NULL);
    }
    return DECLINED;
}

void cc_interim_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(cc_interim_post_read_request, NULL, NULL, APR_HOOK_FIRST + 1);
    ap_hook_header_parser(cc_interim_header_parser, NULL, NULL, APR_HOOK_FIRST + 1);
    (void)p;
    ap_hook_post_config(cc_interim_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_connection(cc_interim_pre_connection, NULL, NULL, APR_HOOK_MIDDLE);
    cc_interim_handle = ap_register_output_filter(CC_INTERIM_FILTER, cc_interim_filter, NULL,
                                                  AP_FTYPE_CONNECTION);
}

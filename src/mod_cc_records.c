/* mod_cc_records.c - consent records (issue 10): one record per decision, written to a file
 * (O_APPEND, one write() a line), to a piped log (ap_open_piped_log) or to a database through
 * mod_dbd; the visitor's receipt (GET <endpoint>/receipt) and the DPO's export (GET
 * <endpoint>/records, opened by SetHandler cookieconsent-records under Apache's authorization).
 *
 * Time limit (CookieConsentRecordsTimeout, default 2 s): a record is tried at most twice, the
 * second time only while the deadline has not passed; each try is bounded by the target itself:
 * a pipe's write end waits at most the timeout (apr_file_pipe_timeout_set: a line shorter than
 * PIPE_BUF is written whole or not at all); PostgreSQL gets statement_timeout = half the timeout
 * on each connection the module uses (and connect_timeout belongs in DBDParams, see README);
 * apr's SQLite driver waits at most 1.5 s on a locked database. A record that could not be
 * stored is logged at ERROR with its JSON: the visitor's choice takes effect all the same. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "apr_atomic.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "apr_optional.h"
#include "apr_strings.h"

#include "cc_assets.h"
#include "cc_record.h"
#include "cc_render.h"
#include "cc_text.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

typedef struct {
    int kind;                       /* CC_REC_FILE or CC_REC_PIPE */
    apr_file_t *fd;
    const char *what;               /* the file or the command, for messages */
} cc_rec_target_t;

static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *cc_dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *cc_dbd_close;

#define CC_TABLE "cookieconsent_records"
#define CC_COLUMNS "id, time_ms, vhost, action, accepted, refused, source, fingerprint, " \
                   "texts_hash, lang, revision, address, user_agent, previous_id"

/* conf/schema.sql holds the same statements for DBAs. */
static const char *const cc_sql_create[] = {
    "CREATE TABLE IF NOT EXISTS " CC_TABLE " ("
    "id VARCHAR(32) NOT NULL PRIMARY KEY, time_ms BIGINT NOT NULL, "
    "vhost VARCHAR(255) NOT NULL, action VARCHAR(16) NOT NULL, accepted TEXT NOT NULL, "
    "refused TEXT NOT NULL, source VARCHAR(16) NOT NULL, fingerprint VARCHAR(16) NOT NULL, "
    "texts_hash VARCHAR(64) NOT NULL, lang VARCHAR(35) NOT NULL, revision TEXT, "
    "address VARCHAR(45), user_agent TEXT, previous_id VARCHAR(32))",
    "CREATE INDEX IF NOT EXISTS " CC_TABLE "_time ON " CC_TABLE " (time_ms)",
    "CREATE INDEX IF NOT EXISTS " CC_TABLE "_previous ON " CC_TABLE " (previous_id)",
    NULL
};

/* Labels in the connection's prepared-statement hash (ap_dbd_t.prepared): prepared by this module
 * on first use of each connection, after the table is there (mod_dbd's ap_dbd_prepare would
 * prepare them before, and a missing table would fail every connection). */
enum { CC_ST_INSERT, CC_ST_RECEIPT, CC_ST_BY_ID, CC_ST_BY_TIME, CC_ST_PURGE, CC_ST_COUNT };
static const char *const cc_st_label[CC_ST_COUNT] = {
    "cookieconsent_insert", "cookieconsent_receipt", "cookieconsent_by_id",
    "cookieconsent_by_time", "cookieconsent_purge"
};
static const char *const cc_st_sql[CC_ST_COUNT] = {
    "INSERT INTO " CC_TABLE " (" CC_COLUMNS ") VALUES (%s, %lld, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s, %s, %s)",
    "SELECT " CC_COLUMNS " FROM " CC_TABLE " WHERE id = %s AND vhost = %s",
    "SELECT " CC_COLUMNS " FROM " CC_TABLE " WHERE vhost = %s AND (id = %s OR previous_id = %s) "
    "ORDER BY time_ms, id",
    "SELECT " CC_COLUMNS " FROM " CC_TABLE " WHERE vhost = %s AND time_ms >= %lld AND "
    "time_ms < %lld ORDER BY time_ms, id",
    "DELETE FROM " CC_TABLE " WHERE vhost = %s AND time_ms < %lld"
};

/* The hour (since the epoch) of this child's last purge: at most one an hour per child. */
static apr_uint32_t cc_purged_hour;

/* ------------------------------------------------------------------------------------------ */
/* Startup                                                                                      */

static int cc_records_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                   server_rec *s_main)
{
    server_rec *s;

    (void)pconf, (void)plog, (void)ptemp;
    cc_dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    cc_dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    for (s = s_main; s; s = s->next) {
        const cc_srv_conf *c = cc_srv(s);
        if (c->decl && c->set.rec_kind == CC_REC_DBD && (!cc_dbd_open || !cc_dbd_close)) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL, "cookieconsent: "
                         "CookieConsentRecords dbd (%s): mod_dbd is not loaded: add LoadModule "
                         "dbd_module, DBDriver and DBDParams (see README, Consent records)",
                         c->rec_where ? c->rec_where : "?");
            return !OK;
        }
    }
    return OK;
}

/* Piped loggers live in the process pool: the same program reads the records of the children of
 * every generation, so a graceful restart (old children finishing their requests while new ones
 * start) loses none; it is restarted by httpd if it dies (reliable piped logs). */
static apr_file_t *cc_open_pipe(server_rec *s, const char *cmd)
{
    apr_pool_t *pp = s->process->pool;
    apr_hash_t *pipes = NULL;
    piped_log *pl;

    apr_pool_userdata_get((void **)&pipes, "cookieconsent-record-pipes", pp);
    if (!pipes) {
        pipes = apr_hash_make(pp);
        apr_pool_userdata_set(pipes, "cookieconsent-record-pipes", apr_pool_cleanup_null, pp);
    }
    if ((pl = apr_hash_get(pipes, cmd, APR_HASH_KEY_STRING))) {
        return ap_piped_log_write_fd(pl);
    }
    /* through the shell, as CustomLog "|..." does */
    if (!(pl = ap_open_piped_log_ex(pp, cmd, APR_SHELLCMD_ENV))) {
        return NULL;
    }
    apr_hash_set(pipes, apr_pstrdup(pp, cmd), APR_HASH_KEY_STRING, pl);
    return ap_piped_log_write_fd(pl);
}

static int cc_records_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                  server_rec *s_main)
{
    apr_hash_t *open = apr_hash_make(ptemp);
    server_rec *s;
    apr_status_t rv;

    (void)plog;
    /* httpd reads its configuration twice at startup: open on the reading that serves */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    for (s = s_main; s; s = s->next) {
        cc_srv_conf *c = cc_srv(s);
        cc_rec_target_t *t;
        const char *key;

        c->rec_target = NULL;
        if (!c->decl || (c->set.rec_kind != CC_REC_FILE && c->set.rec_kind != CC_REC_PIPE)) {
            continue;
        }
        key = apr_pstrcat(ptemp, c->set.rec_kind == CC_REC_FILE ? "f" : "p", c->set.rec_arg,
                          NULL);
        if ((t = apr_hash_get(open, key, APR_HASH_KEY_STRING))) {
            c->rec_target = t;
            continue;
        }
        t = apr_pcalloc(pconf, sizeof(*t));
        t->kind = c->set.rec_kind;
        t->what = c->set.rec_arg;
        if (t->kind == CC_REC_FILE) {
            /* unbuffered, O_APPEND: each line is one write() at the end of the file, so lines of
             * concurrent children never interleave; opened by root before the switch to User,
             * readable by root (and the group) only: records hold addresses */
            rv = apr_file_open(&t->fd, t->what, APR_FOPEN_WRITE | APR_FOPEN_APPEND
                               | APR_FOPEN_CREATE | APR_FOPEN_LARGEFILE,
                               APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD, pconf);
            if (rv != APR_SUCCESS) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, rv, NULL, "cookieconsent: "
                             "CookieConsentRecords (%s): cannot open %s", c->rec_where,
                             t->what);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
        }
        else {
            if (!(t->fd = cc_open_pipe(s, t->what))) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL, "cookieconsent: "
                             "CookieConsentRecords (%s): cannot start \"%s\"", c->rec_where,
                             t->what);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            /* a reader that stops reading must not hold visitors beyond the timeout */
            apr_file_pipe_timeout_set(t->fd, c->set.rec_timeout);
        }
        apr_hash_set(open, key, APR_HASH_KEY_STRING, t);
        c->rec_target = t;
    }
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The database                                                                                 */

/* The prepared statements of this connection, the table created first if missing. NULL (and
 * *err) when the database refuses. */
static apr_dbd_prepared_t **cc_dbd_statements(request_rec *r, ap_dbd_t *dbd,
                                              apr_interval_time_t timeout, const char **err)
{
    apr_dbd_prepared_t **st = apr_palloc(r->pool, CC_ST_COUNT * sizeof(*st));
    int i, nrows, rv;

    for (i = 0; i < CC_ST_COUNT; i++) {
        st[i] = apr_hash_get(dbd->prepared, cc_st_label[i], APR_HASH_KEY_STRING);
        if (!st[i]) {
            break;
        }
    }
    if (i == CC_ST_COUNT) {
        return st;
    }
    /* the first use of this connection by the module */
    if (!strcmp(apr_dbd_name(dbd->driver), "pgsql")) {
        apr_dbd_query(dbd->driver, dbd->handle, &nrows,
                      apr_psprintf(r->pool, "SET statement_timeout = %" APR_TIME_T_FMT,
                                   apr_time_as_msec(timeout) / 2 + 1));
    }
    for (i = 0; cc_sql_create[i]; i++) {
        /* errors are seen when preparing: another server may be creating the table now */
        apr_dbd_query(dbd->driver, dbd->handle, &nrows, cc_sql_create[i]);
    }
    for (i = 0; i < CC_ST_COUNT; i++) {
        st[i] = NULL;
        if ((rv = apr_dbd_prepare(dbd->driver, dbd->pool, dbd->handle, cc_st_sql[i],
                                  cc_st_label[i], &st[i])) != 0) {
            *err = apr_psprintf(r->pool, "preparing %s: %s", cc_st_label[i],
                                apr_dbd_error(dbd->driver, dbd->handle, rv));
            return NULL;
        }
        apr_hash_set(dbd->prepared, cc_st_label[i], APR_HASH_KEY_STRING, st[i]);
    }
    return st;
}

static const char *cc_or_empty(const char *s)
{
    return s ? s : "";
}

static const char *cc_or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* One try at inserting rec (purging this vhost's expired records first, once an hour). */
static const char *cc_dbd_insert(request_rec *r, const cc_srv_conf *c, const cc_record_t *rec)
{
    const char *err = NULL;
    apr_dbd_prepared_t **st;
    ap_dbd_t *dbd = cc_dbd_open(r->pool, r->server);
    apr_uint32_t hour = (apr_uint32_t)(apr_time_sec(apr_time_now()) / 3600), last;
    int nrows = 0, rv;

    if (!dbd) {
        return "no database connection (mod_dbd: see the error above)";
    }
    if (!(st = cc_dbd_statements(r, dbd, c->set.rec_timeout, &err))) {
        cc_dbd_close(r->server, dbd);
        return err;
    }
    rv = apr_dbd_pvquery(dbd->driver, r->pool, dbd->handle, &nrows, st[CC_ST_INSERT], rec->id,
                         apr_psprintf(r->pool, "%" APR_INT64_T_FMT, rec->time_ms), rec->vhost,
                         rec->action, rec->accepted, rec->refused, rec->source,
                         rec->fingerprint, rec->texts_hash, rec->lang, rec->revision,
                         rec->address, rec->user_agent, rec->previous_id);
    if (rv != 0) {
        err = apr_psprintf(r->pool, "insert: %s", apr_dbd_error(dbd->driver, dbd->handle, rv));
    }
    else if ((last = apr_atomic_read32(&cc_purged_hour)) != hour
             && apr_atomic_cas32(&cc_purged_hour, hour, last) == last) {
        apr_int64_t before = rec->time_ms - c->set.rec_retention * 1000;
        rv = apr_dbd_pvquery(dbd->driver, r->pool, dbd->handle, &nrows, st[CC_ST_PURGE],
                             rec->vhost, apr_psprintf(r->pool, "%" APR_INT64_T_FMT, before));
        if (rv != 0) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "cookieconsent: purging records "
                          "older than the retention: %s",
                          apr_dbd_error(dbd->driver, dbd->handle, rv));
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "cookieconsent: purged %d records "
                          "of %s older than %s", nrows, rec->vhost,
                          cc_record_iso_time(r->pool, before));
        }
    }
    cc_dbd_close(r->server, dbd);
    return err;
}

/* The records a prepared SELECT returns, each passed to fn; -1 with *err on failure. */
typedef void cc_row_fn(request_rec *r, const cc_record_t *rec, void *baton);

static int cc_dbd_select(request_rec *r, int which, cc_row_fn *fn, void *baton,
                         const char **err, ...)
{
    const cc_srv_conf *c = cc_srv(r->server);
    ap_dbd_t *dbd;
    apr_dbd_prepared_t **st;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *args[4] = {NULL, NULL, NULL, NULL};
    int n = 0, rv;
    va_list ap;

    va_start(ap, err);
    while (n < 4 && (args[n] = va_arg(ap, const char *)) != NULL) {
        n++;
    }
    va_end(ap);
    if (!cc_dbd_open || !(dbd = cc_dbd_open(r->pool, r->server))) {
        *err = "no database connection";
        return -1;
    }
    if (!(st = cc_dbd_statements(r, dbd, c->set.rec_timeout, err))) {
        cc_dbd_close(r->server, dbd);
        return -1;
    }
    rv = apr_dbd_pselect(dbd->driver, r->pool, dbd->handle, &res, st[which], 0, n, args);
    if (rv != 0) {
        *err = apr_pstrdup(r->pool, apr_dbd_error(dbd->driver, dbd->handle, rv));
        cc_dbd_close(r->server, dbd);
        return -1;
    }
    n = 0;
    while (apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1) == 0) {
        cc_record_t rec;
        const char *t;
#define COL(i) apr_dbd_get_entry(dbd->driver, row, (i))
        memset(&rec, 0, sizeof(rec));
        rec.id = apr_pstrdup(r->pool, cc_or_empty(COL(0)));
        t = COL(1);
        rec.time_ms = t ? apr_atoi64(t) : 0;
        rec.vhost = apr_pstrdup(r->pool, cc_or_empty(COL(2)));
        rec.action = apr_pstrdup(r->pool, cc_or_empty(COL(3)));
        rec.accepted = apr_pstrdup(r->pool, cc_or_empty(COL(4)));
        rec.refused = apr_pstrdup(r->pool, cc_or_empty(COL(5)));
        rec.source = apr_pstrdup(r->pool, cc_or_empty(COL(6)));
        rec.fingerprint = apr_pstrdup(r->pool, cc_or_empty(COL(7)));
        rec.texts_hash = apr_pstrdup(r->pool, cc_or_empty(COL(8)));
        rec.lang = apr_pstrdup(r->pool, cc_or_empty(COL(9)));
        rec.revision = cc_or_null(apr_pstrdup(r->pool, cc_or_empty(COL(10))));
        rec.address = cc_or_null(apr_pstrdup(r->pool, cc_or_empty(COL(11))));
        rec.user_agent = cc_or_null(apr_pstrdup(r->pool, cc_or_empty(COL(12))));
        rec.previous_id = cc_or_null(apr_pstrdup(r->pool, cc_or_empty(COL(13))));
#undef COL
        fn(r, &rec, baton);
        n++;
    }
    cc_dbd_close(r->server, dbd);
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* A decision                                                                                   */

void cc_records_decision(request_rec *r, const cc_req_ctx *ctx, const cc_decision_t *before,
                         const char *form_action, const char *source)
{
    const cc_srv_conf *c = ctx->conf;
    const cc_decl_t *d = c->decl;
    const cc_rec_target_t *t = c->rec_target;
    apr_time_t start, deadline;
    cc_render_t rc;
    cc_record_t rec;
    const char *json, *err = NULL, *line;
    apr_size_t len, n;
    apr_status_t rv;
    int attempt;

    if (c->set.rec_kind == CC_REC_OFF) {
        return;
    }
    start = apr_time_now();
    deadline = start + c->set.rec_timeout;
    cc_render_init(r, ctx, &rc, NULL);
    memset(&rec, 0, sizeof(rec));
    rec.id = ctx->dec.consent_id;
    rec.time_ms = apr_time_as_msec(start);
    rec.vhost = r->server->server_hostname ? r->server->server_hostname : "";
    rec.action = cc_record_action(form_action, before->decided, before->allowed,
                                  ctx->dec.allowed, d->optional_mask);
    rec.accepted = cc_decision_categories(r->pool, d, &ctx->dec, 1, " ");
    rec.refused = cc_decision_categories(r->pool, d, &ctx->dec, 0, " ");
    rec.source = source;
    rec.fingerprint = d->fingerprint;
    rec.texts_hash = cc_record_texts_hash(r->pool, d, rc.lang);
    rec.lang = rc.lang;
    rec.revision = d->revision;
    rec.address = cc_record_address(r->pool, r->useragent_ip, (cc_addr_mode_e)c->set.rec_addr);
    rec.user_agent = cc_record_user_agent(r->pool, apr_table_get(r->headers_in, "User-Agent"));
    rec.previous_id = before->decided ? before->consent_id : NULL;
    if (!rec.texts_hash) {
        rec.texts_hash = "";
    }
    json = cc_record_json(r->pool, &rec);

    for (attempt = 0; attempt < 2; attempt++) {
        if (attempt && apr_time_now() >= deadline) {
            err = apr_pstrcat(r->pool, err, " (no retry: CookieConsentRecordsTimeout passed)",
                              NULL);
            break;
        }
        if (c->set.rec_kind == CC_REC_DBD) {
            err = cc_dbd_insert(r, c, &rec);
        }
        else if (!t) {
            err = "the target is not open";
        }
        else {
            line = apr_pstrcat(r->pool, json, "\n", NULL);
            len = n = strlen(line);
            rv = apr_file_write(t->fd, line, &n);
            if (rv == APR_SUCCESS && n == len) {
                err = NULL;
            }
            else if (rv == APR_SUCCESS || n) {
                /* a partial line went out: another try would duplicate its start */
                err = apr_psprintf(r->pool, "short write to %s (%" APR_SIZE_T_FMT " of %"
                                   APR_SIZE_T_FMT " bytes)", t->what, n, len);
                break;
            }
            else {
                char buf[120];
                err = apr_psprintf(r->pool, "writing to %s: %s", t->what,
                                   apr_strerror(rv, buf, sizeof(buf)));
            }
        }
        if (!err) {
            break;
        }
    }
    if (err) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "cookieconsent: consent record not stored "
                      "(%s); the visitor's choice takes effect; record: %s", err, json);
        return;
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "cookieconsent: consent record %s stored in "
                  "%" APR_TIME_T_FMT " us", rec.id, apr_time_now() - start);
}

/* ------------------------------------------------------------------------------------------ */
/* The receipt                                                                                  */

static void cc_keep_first(request_rec *r, const cc_record_t *rec, void *baton)
{
    cc_record_t **out = baton;

    if (!*out) {
        *out = apr_pmemdup(r->pool, rec, sizeof(*rec));
    }
}

int cc_records_receipt(request_rec *r, cc_req_ctx *ctx)
{
    const cc_srv_conf *c = ctx->conf;
    const cc_decl_t *d = c->decl;
    cc_record_t *rec = NULL, *cookie_rec;
    cc_receipt_t rc;
    cc_render_t rr;
    const char *fmt = cc_query_arg(r, "format"), *out, *err = NULL;
    const char *accept = apr_table_get(r->headers_in, "Accept");
    int json = (fmt && !strcmp(fmt, "json")) || (accept && ap_strcasestr(accept,
                                                                         "application/json"));

    if (r->method_number != M_GET) {
        ap_allow_methods(r, 1, "GET", "HEAD", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    cc_render_init(r, ctx, &rr, NULL);
    memset(&rc, 0, sizeof(rc));
    rc.lang = rr.lang;
    rc.endpoint = rr.endpoint;
    rc.asset_version = rr.asset_version;
    rc.ui_texts = d->ui_texts;
    if (ctx->dec.decided && ctx->dec.consent_id) {
        if (c->set.rec_kind == CC_REC_DBD
            && cc_dbd_select(r, CC_ST_RECEIPT, cc_keep_first, &rec, &err, ctx->dec.consent_id,
                             r->server->server_hostname ? r->server->server_hostname : "",
                             NULL) < 0) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "cookieconsent: receipt of %s: "
                          "reading the records: %s", ctx->dec.consent_id, err);
        }
        rc.stored = rec != NULL;
        if (!rec) {
            /* no stored record (file, pipe, database down): what the consent cookie says */
            cookie_rec = apr_pcalloc(r->pool, sizeof(*cookie_rec));
            cookie_rec->id = ctx->dec.consent_id;
            cookie_rec->time_ms = ctx->dec.decided_at * 1000;
            cookie_rec->vhost = r->server->server_hostname;
            cookie_rec->accepted = cc_decision_categories(r->pool, d, &ctx->dec, 1, " ");
            cookie_rec->refused = cc_decision_categories(r->pool, d, &ctx->dec, 0, " ");
            cookie_rec->fingerprint = d->fingerprint;
            cookie_rec->revision = d->revision;
            rec = cookie_rec;
        }
        rc.rec = rec;
    }
    out = json ? apr_pstrcat(r->pool, cc_record_receipt_json(r->pool, &rc), "\n", NULL)
               : cc_record_receipt_html(r->pool, &rc);
    ap_set_content_type(r, json ? "application/json" : "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "Content-Language", rc.lang);
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    cc_vary(r, "Cookie");
    cc_vary(r, "Accept");
    cc_vary(r, "Accept-Language");
    ap_set_content_length(r, (apr_off_t)strlen(out));
    if (!r->header_only) {
        ap_rputs(out, r);
    }
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The export                                                                                   */

static void cc_put_line(request_rec *r, const cc_record_t *rec, void *baton)
{
    (void)baton;
    ap_rvputs(r, cc_record_json(r->pool, rec), "\n", NULL);
}

int cc_records_export(request_rec *r)
{
    const cc_srv_conf *c = cc_srv(r->server);
    const char *id = cc_query_arg(r, "id"), *from = cc_query_arg(r, "from");
    const char *to = cc_query_arg(r, "to"), *err = NULL;
    const char *vhost = r->server->server_hostname ? r->server->server_hostname : "";
    apr_int64_t t0 = 0, t1 = APR_INT64_C(253402300800000);
    int n;

    /* Opened only where the configuration says so, as mod_status is: SetHandler
     * cookieconsent-records in a <Location> that also holds Apache's Require. */
    if (!r->handler || strcmp(r->handler, CC_EXPORT_HANDLER)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: the records export is "
                      "closed: open it with <Location %s> SetHandler " CC_EXPORT_HANDLER
                      " and Require ... </Location>", r->uri);
        return HTTP_FORBIDDEN;
    }
    if (r->method_number != M_GET) {
        ap_allow_methods(r, 1, "GET", "HEAD", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!c->decl || c->set.rec_kind != CC_REC_DBD) {
        ap_set_content_type(r, "text/plain; charset=utf-8");
        r->status = HTTP_NOT_FOUND;
        ap_rvputs(r, "The records of this site are not in a database (CookieConsentRecords ",
                  !c->decl || c->set.rec_kind == CC_REC_OFF ? "off"
                  : c->set.rec_kind == CC_REC_FILE ? "file:" : "|",
                  c->decl && c->set.rec_arg ? c->set.rec_arg : "",
                  "): read them where they are written.\n", NULL);
        return OK;
    }
    if ((id && (from || to)) || (!id && !from && !to) || (id && !*id)
        || (from && cc_record_time_parse(from, &t0)) || (to && cc_record_time_parse(to, &t1))) {
        ap_set_content_type(r, "text/plain; charset=utf-8");
        r->status = HTTP_BAD_REQUEST;
        ap_rputs("Give id=CONSENT_ID, or from= and/or to= (Unix seconds or ISO 8601, e.g. "
                 "2024-05-01T00:00:00Z); to is excluded.\n", r);
        return OK;
    }
    ap_set_content_type(r, "application/jsonl; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (r->header_only) {
        return OK;
    }
    n = id ? cc_dbd_select(r, CC_ST_BY_ID, cc_put_line, NULL, &err, vhost, id, id, NULL)
           : cc_dbd_select(r, CC_ST_BY_TIME, cc_put_line, NULL, &err, vhost,
                           apr_psprintf(r->pool, "%" APR_INT64_T_FMT, t0),
                           apr_psprintf(r->pool, "%" APR_INT64_T_FMT, t1), NULL);
    if (n < 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "cookieconsent: records export: %s", err);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: records export: %d records "
                  "for %s", n, r->user ? r->user : r->useragent_ip);
    return OK;
}

/* SetHandler cookieconsent-records on any URL (a <Location /dpo/consents>, say). */
static int cc_export_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, CC_EXPORT_HANDLER) || r->main) {
        return DECLINED;
    }
    return cc_records_export(r);
}

void cc_records_register(void)
{
    ap_hook_check_config(cc_records_check_config, NULL, NULL, APR_HOOK_LAST);
    ap_hook_post_config(cc_records_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(cc_export_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

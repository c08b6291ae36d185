/* mod_cc_status.c - counters and the discovery report in shared memory, per virtual host
 * (issue 11): the "Cookie consent" section of mod_status' server-status (and its ?auto lines),
 * the discovery of undeclared cookies and uncovered third parties, GET <endpoint>/discovered.
 *
 *   post_config            one shared segment per virtual host with declarations, named by the
 *                          server (ServerName:port) and kept in the process pool: a graceful
 *                          (or plain) restart finds it again, counters and discoveries go on;
 *                          a segment of a virtual host no longer configured is destroyed; a
 *                          segment of another layout (a new build) is replaced by a fresh one
 *   status_hook (mod_status, optional)   the section, read with atomic loads, no lock
 *   handler (MIDDLE)       SetHandler cookieconsent-discovered on a URL outside the endpoint
 *
 * The request path counts with one atomic add (cc_stat_add in mod_cc.h) and records discoveries
 * lock-free (src/cc_discover.c): no lock, no allocation, no formatting.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "apr_atomic.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_optional_hooks.h"
#include "apr_shm.h"
#include "apr_strings.h"

#include "mod_status.h"

#include "cc_discover.h"
#include "cc_glob.h"
#include "cc_html.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

#define CC_SHM_MAGIC 0x43435354u            /* "CCST" */
#define CC_SHM_VERSION 1u
#define CC_SHM_REGISTRY "cookieconsent-status-shm"
#define CC_VHOST_MAX 160

/* One virtual host's shared segment. Zeroed memory (what a new segment is) with the header set
 * is the empty state. */
typedef struct {
    apr_uint32_t magic;
    apr_uint32_t version;
    apr_uint64_t size;
    apr_uint64_t since;                     /* Unix seconds: when the segment was created */
    char vhost[CC_VHOST_MAX];               /* ServerName:port (with #N when it repeats) */
    apr_uint64_t counters[CC_STAT_SLOTS];
    cc_disc_table_t disc;
} cc_shm_block_t;

/* The names of the counters, as ?auto prints them after "CookieConsent". */
static const char *const cc_stat_names[CC_STAT_N] = {
    "RequestsDecided", "RequestsUndecided", "RequestsGPC", "ChoicesAcceptAll",
    "ChoicesRejectAll", "ChoicesSave", "ChoicesAllow", "SetCookieRemoved", "RetentionClamped",
    "HeldCookiesExpired", "ElementsHeld", "UndeclaredSeen", "BadSignature"
};

/* What the HTML section says for each. */
static const char *const cc_stat_labels[CC_STAT_N] = {
    "Requests with a choice", "Requests without a choice", "Requests decided by Sec-GPC",
    "Choices: accept all", "Choices: reject all", "Choices: save (custom)",
    "Choices: allow (placeholder)", "Set-Cookie headers removed", "Set-Cookie clamped to Retention",
    "Held cookies expired", "Elements held by the gate", "Undeclared cookie names seen",
    "Consent cookies with a bad signature"
};

static server_rec *cc_status_main;          /* set again by each generation's post_config */

static cc_shm_block_t *cc_block_of(const cc_srv_conf *c)
{
    return c->stat ? (cc_shm_block_t *)(void *)((char *)c->stat
                                                - APR_OFFSETOF(cc_shm_block_t, counters))
                   : NULL;
}

void cc_status_count(request_rec *r, cc_stat_e which)
{
    cc_stat_add(cc_srv(r->server), which, 1);
}

static apr_uint64_t cc_stat_read(const cc_srv_conf *c, int which)
{
#if defined(__GNUC__)
    return __atomic_load_n(&c->stat[which], __ATOMIC_RELAXED);
#else
    return apr_atomic_read64(&c->stat[which]);
#endif
}

/* ------------------------------------------------------------------------------------------ */
/* Startup                                                                                      */

static const char *cc_vhost_name(apr_pool_t *p, server_rec *s)
{
    apr_port_t port = s->addrs && s->addrs->host_port ? s->addrs->host_port : s->port;

    return apr_psprintf(p, "%s:%u", s->server_hostname ? s->server_hostname : "default",
                        (unsigned)port);
}

/* Attaches s to its segment (found again in reg by name, or created); used: names taken. */
static void cc_status_attach(apr_pool_t *pp, apr_pool_t *pconf, apr_pool_t *ptemp,
                             apr_hash_t *reg, apr_hash_t *used, apr_hash_t *confs, server_rec *s)
{
    cc_srv_conf *c = cc_srv(s);
    const char *name, *key;
    apr_shm_t *shm;
    cc_shm_block_t *b = NULL;
    apr_status_t rv;
    int n = 1;

    if (!c->decl) {
        c->stat = NULL;
        c->disc = NULL;
        return;
    }
    /* A virtual host without any directive of this module shares its parent's record (httpd
     * merges nothing for it): it gets a copy of its own, to count on its own. Everything the
     * copy points to (the declarations, the snippets) stays shared and read-only. */
    if (apr_hash_get(confs, &c, sizeof(c))) {
        c = apr_pmemdup(pconf, c, sizeof(*c));
        ap_set_module_config(s->module_config, &cookieconsent_module, c);
    }
    apr_hash_set(confs, apr_pmemdup(ptemp, &c, sizeof(c)), sizeof(c), "1");
    c->stat = NULL;
    c->disc = NULL;
    key = name = cc_vhost_name(ptemp, s);
    if (!s->is_virtual && apr_hash_get(used, key, APR_HASH_KEY_STRING)) {
        key = name = apr_pstrcat(ptemp, "main ", name, NULL);
    }
    while (apr_hash_get(used, key, APR_HASH_KEY_STRING)) {
        key = apr_psprintf(ptemp, "%s#%d", name, ++n);
    }
    apr_hash_set(used, key, APR_HASH_KEY_STRING, "1");
    if ((shm = apr_hash_get(reg, key, APR_HASH_KEY_STRING))) {
        b = apr_shm_baseaddr_get(shm);
        if (apr_shm_size_get(shm) < sizeof(*b) || b->magic != CC_SHM_MAGIC
            || b->version != CC_SHM_VERSION || b->size != sizeof(*b)
            || !cc_disc_valid(&b->disc)) {
            /* Another build's layout: a fresh one, never a misread. */
            apr_hash_set(reg, key, APR_HASH_KEY_STRING, NULL);
            apr_shm_destroy(shm);
            b = NULL;
        }
    }
    if (!b) {
        if ((rv = apr_shm_create(&shm, sizeof(*b), NULL, pp)) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, "cookieconsent: no shared memory "
                         "(%" APR_SIZE_T_FMT " bytes) for the counters and discovery of %s: "
                         "they are off there", sizeof(*b), key);
            return;
        }
        b = apr_shm_baseaddr_get(shm);
        memset(b, 0, APR_OFFSETOF(cc_shm_block_t, disc));
        b->disc.magic = CC_DISC_MAGIC;          /* the rest is zero: an empty table */
        b->disc.version = CC_DISC_VERSION;
        b->magic = CC_SHM_MAGIC;
        b->version = CC_SHM_VERSION;
        b->size = sizeof(*b);
        b->since = (apr_uint64_t)apr_time_sec(apr_time_now());
        apr_cpystrn(b->vhost, key, sizeof(b->vhost));
        apr_hash_set(reg, apr_pstrdup(pp, key), APR_HASH_KEY_STRING, shm);
    }
    c->stat = b->counters;
    c->disc = c->set.discovery ? &b->disc : NULL;
}

static int cc_status_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s_main)
{
    apr_pool_t *pp = s_main->process->pool;
    apr_hash_t *reg = NULL, *used = apr_hash_make(ptemp), *confs = apr_hash_make(ptemp);
    apr_hash_index_t *hi;
    server_rec *s;

    (void)plog;
    cc_status_main = s_main;
    apr_pool_userdata_get((void **)&reg, CC_SHM_REGISTRY, pp);
    if (!reg) {
        reg = apr_hash_make(pp);
        apr_pool_userdata_set(reg, CC_SHM_REGISTRY, apr_pool_cleanup_null, pp);
    }
    /* Virtual hosts first: the main server takes "main NAME" when a virtual host has its
     * name (the first virtual host of an address usually does). */
    for (s = s_main->next; s; s = s->next) {
        cc_status_attach(pp, pconf, ptemp, reg, used, confs, s);
    }
    cc_status_attach(pp, pconf, ptemp, reg, used, confs, s_main);
    /* Virtual hosts gone from the configuration: children of the old generation keep their
     * mapping until they exit; new ones never see it. */
    for (hi = apr_hash_first(ptemp, reg); hi; hi = apr_hash_next(hi)) {
        const void *k;
        void *v;
        apr_hash_this(hi, &k, NULL, &v);
        if (!apr_hash_get(used, k, APR_HASH_KEY_STRING)) {
            apr_hash_set(reg, k, APR_HASH_KEY_STRING, NULL);
            apr_shm_destroy(v);
        }
    }
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* mod_status                                                                                   */

/* The server name in ?auto keys: ':' and anything but [A-Za-z0-9.-] become '_'. */
static const char *cc_auto_key(apr_pool_t *p, const char *vhost)
{
    char *k = apr_pstrdup(p, vhost), *w;

    for (w = k; *w; w++) {
        if (!apr_isalnum(*w) && *w != '.' && *w != '-') {
            *w = '_';
        }
    }
    return k;
}

static int cc_status_hook(request_rec *r, int flags)
{
    apr_uint64_t total[CC_STAT_N];
    int i, names = 0, hosts = 0, vhosts = 0;
    server_rec *s;

    memset(total, 0, sizeof(total));
    for (s = cc_status_main; s; s = s->next) {
        const cc_srv_conf *c = cc_srv(s);
        if (!c->stat) {
            continue;
        }
        vhosts++;
        for (i = 0; i < CC_STAT_N; i++) {
            total[i] += cc_stat_read(c, i);
        }
        if (c->disc) {
            names += cc_disc_count_names(c->disc);
            hosts += cc_disc_count_hosts(c->disc);
        }
    }
    if (!vhosts) {
        return OK;
    }
    if (flags & AP_STATUS_SHORT) {
        /* Totals first, then each virtual host's lines with "@SERVER_PORT" in the key. */
        for (i = 0; i < CC_STAT_N; i++) {
            ap_rprintf(r, "CookieConsent%s: %" APR_UINT64_T_FMT "\n", cc_stat_names[i], total[i]);
        }
        ap_rprintf(r, "CookieConsentDiscoveredNames: %d\nCookieConsentDiscoveredHosts: %d\n",
                   names, hosts);
        for (s = cc_status_main; s; s = s->next) {
            const cc_srv_conf *c = cc_srv(s);
            const char *k;
            if (!c->stat) {
                continue;
            }
            k = cc_auto_key(r->pool, cc_block_of(c)->vhost);
            ap_rprintf(r, "CookieConsentSince@%s: %" APR_UINT64_T_FMT "\n", k,
                       cc_block_of(c)->since);
            for (i = 0; i < CC_STAT_N; i++) {
                ap_rprintf(r, "CookieConsent%s@%s: %" APR_UINT64_T_FMT "\n", cc_stat_names[i], k,
                           cc_stat_read(c, i));
            }
            ap_rprintf(r, "CookieConsentDiscoveredNames@%s: %d\n"
                       "CookieConsentDiscoveredHosts@%s: %d\n", k,
                       c->disc ? cc_disc_count_names(c->disc) : 0, k,
                       c->disc ? cc_disc_count_hosts(c->disc) : 0);
        }
        return OK;
    }
    ap_rputs("<hr />\n<h2>Cookie consent</h2>\n<table border=\"0\"><tr><th></th>", r);
    for (s = cc_status_main; s; s = s->next) {
        const cc_srv_conf *c = cc_srv(s);
        if (c->stat) {
            ap_rvputs(r, "<th>", ap_escape_html(r->pool, cc_block_of(c)->vhost), "</th>", NULL);
        }
    }
    ap_rputs("</tr>\n", r);
    for (i = -1; i < CC_STAT_N + 2; i++) {
        ap_rvputs(r, "<tr><td>", i < 0 ? "Counting since" : i < CC_STAT_N ? cc_stat_labels[i]
                  : i == CC_STAT_N ? "Undeclared name groups discovered"
                  : "Uncovered third-party hosts discovered", "</td>", NULL);
        for (s = cc_status_main; s; s = s->next) {
            const cc_srv_conf *c = cc_srv(s);
            if (!c->stat) {
                continue;
            }
            if (i < 0) {
                char buf[APR_RFC822_DATE_LEN];
                apr_rfc822_date(buf, apr_time_from_sec((apr_time_t)cc_block_of(c)->since));
                ap_rvputs(r, "<td>", buf, "</td>", NULL);
            }
            else if (i < CC_STAT_N) {
                ap_rprintf(r, "<td>%" APR_UINT64_T_FMT "</td>", cc_stat_read(c, i));
            }
            else if (!c->disc) {
                ap_rputs("<td>(discovery off)</td>", r);
            }
            else {
                ap_rprintf(r, "<td>%d</td>", i == CC_STAT_N ? cc_disc_count_names(c->disc)
                                                            : cc_disc_count_hosts(c->disc));
            }
        }
        ap_rputs("</tr>\n", r);
    }
    ap_rputs("</table>\n", r);
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Discovery on the request path                                                                */

void cc_discover_set_cookie(request_rec *r, const cc_req_ctx *ctx, const char *set_cookie)
{
    cc_set_cookie_t sc;
    cc_disc_seen_t seen;
    apr_int64_t now;

    cc_stat_add(ctx->conf, CC_STAT_UNDECLARED, 1);
    if (!ctx->conf->disc || cc_set_cookie_parse(r->pool, set_cookie, &sc)) {
        return;
    }
    now = (apr_int64_t)apr_time_sec(r->request_time);
    cc_disc_seen_set_cookie(&sc, now, &seen);
    cc_disc_cookie(ctx->conf->disc, sc.name, &seen, now, cc_original_uri(r));
}

void cc_discover_request_cookie(request_rec *r, const cc_req_ctx *ctx, const char *name)
{
    cc_disc_seen_t seen = {CC_DISC_F_REQUEST, 0, NULL, NULL};

    cc_stat_add(ctx->conf, CC_STAT_UNDECLARED, 1);
    if (ctx->conf->disc && *name) {
        cc_disc_cookie(ctx->conf->disc, name, &seen, (apr_int64_t)apr_time_sec(r->request_time),
                       cc_original_uri(r));
    }
}

static apr_uint32_t cc_sample_last;         /* per child: when a page was last sampled */

int cc_discover_sample_due(request_rec *r, const cc_srv_conf *c)
{
    apr_uint32_t now = (apr_uint32_t)apr_time_sec(r->request_time);

    return c->disc && (!cc_sample_last
                       || now - apr_atomic_read32(&cc_sample_last) >= CC_DISC_SAMPLE_EVERY);
}

int cc_discover_sample(request_rec *r, const cc_srv_conf *c)
{
    apr_uint32_t now = (apr_uint32_t)apr_time_sec(r->request_time);
    apr_uint32_t last = apr_atomic_read32(&cc_sample_last);

    return c->disc && (!last || now - last >= CC_DISC_SAMPLE_EVERY)
           && apr_atomic_cas32(&cc_sample_last, now, last) == last;
}

void cc_discover_element(void *baton, unsigned kind, const char *url)
{
    request_rec *r = baton;
    const cc_req_ctx *ctx = cc_ctx_get(r);
    char host[CC_DISC_HOST_MAX + 1];

    if (!ctx || !ctx->conf->disc || !r->hostname
        || !cc_disc_third_party(url, r->hostname, host, sizeof(host))) {
        return;
    }
    cc_disc_element(ctx->conf->disc, host, kind, url, cc_original_uri(r),
                    (apr_int64_t)apr_time_sec(r->request_time));
}

void cc_status_choice(const cc_srv_conf *c, const char *action)
{
    if (!action) {
        return;
    }
    cc_stat_add(c, !strcmp(action, "accept-all") ? CC_STAT_ACCEPT_ALL
                   : !strcmp(action, "reject-all") ? CC_STAT_REJECT_ALL
                   : !strcmp(action, "allow") ? CC_STAT_ALLOW : CC_STAT_SAVE, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* GET <endpoint>/discovered                                                                    */

static int cc_disc_declared(void *baton, const char *name)
{
    const cc_srv_conf *c = baton;
    const cc_cookie_decl_t *row;

    return cc_decl_classify(c->decl, name, &row) != 0 || !strcmp(name, c->decl->consent_name);
}

static int cc_disc_covered(void *baton, const char *url)
{
    const cc_srv_conf *c = baton;
    int i, j;

    for (i = 0; i < c->decl->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(c->decl->cookies, i,
                                                    const cc_cookie_decl_t *);
        for (j = 0; row->block && j < row->block->nelts; j++) {
            if (cc_glob_match(APR_ARRAY_IDX(row->block, j, const char *), url)) {
                return 1;
            }
        }
    }
    return 0;
}

int cc_discover_page(request_rec *r)
{
    const cc_srv_conf *c = cc_srv(r->server);
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *fmt = cc_query_arg(r, "format"), *accept = apr_table_get(r->headers_in, "Accept");
    const char *out;
    cc_disc_report_t rep;
    int json;

    if (ctx) {
        c = ctx->conf;
    }
    /* Opened only where the configuration says so (like mod_status and the records export). */
    if (!r->handler || strcmp(r->handler, CC_DISCOVERED_HANDLER)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: the discovery report is "
                      "closed: open it with <Location %s> SetHandler " CC_DISCOVERED_HANDLER
                      " and Require ... </Location>", r->uri);
        return HTTP_FORBIDDEN;
    }
    if (r->method_number != M_GET) {
        ap_allow_methods(r, 1, "GET", "HEAD", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!c->decl || !c->disc) {
        ap_set_content_type(r, "text/plain; charset=utf-8");
        r->status = HTTP_NOT_FOUND;
        ap_rputs(!c->decl ? "No cookie declarations here: nothing is discovered.\n"
                          : "CookieConsentDiscovery is Off here.\n", r);
        return OK;
    }
    memset(&rep, 0, sizeof(rep));
    rep.t = cc_disc_snapshot(r->pool, c->disc);
    rep.declared = cc_disc_declared;
    rep.covered = cc_disc_covered;
    rep.baton = (void *)c;
    rep.categories = cc_decl_category_names(r->pool, c->decl, c->decl->optional_mask
                                                              | c->decl->required_mask);
    rep.vhost = cc_block_of(c)->vhost;
    rep.since = (apr_int64_t)cc_block_of(c)->since;
    rep.now = (apr_int64_t)apr_time_sec(r->request_time);
    json = (fmt && !strcmp(fmt, "json")) || (accept && ap_strcasestr(accept, "application/json"));
    out = json ? cc_disc_report_json(r->pool, &rep) : cc_disc_report_html(r->pool, &rep);
    ap_set_content_type(r, json ? "application/json" : "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'");
    ap_set_content_length(r, (apr_off_t)strlen(out));
    if (!r->header_only) {
        ap_rputs(out, r);
    }
    return OK;
}

/* SetHandler cookieconsent-discovered on any URL. */
static int cc_discovered_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, CC_DISCOVERED_HANDLER) || r->main) {
        return DECLINED;
    }
    return cc_discover_page(r);
}

void cc_status_register(void)
{
    /* last: the records copied for virtual hosts (cc_status_attach) must hold what the other
     * post_config hooks put in them */
    ap_hook_post_config(cc_status_post_config, NULL, NULL, APR_HOOK_LAST);
    ap_hook_handler(cc_discovered_handler, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, cc_status_hook, NULL, NULL, APR_HOOK_MIDDLE);
}

/* mod_cc.h - what the httpd glue files (mod_cookieconsent.c, src/mod_cc_*.c) share: the
 * configuration records, the per-request state and the hooks each file provides. The core
 * (src/cc_*.c) never includes this file. */
#ifndef MOD_CC_H
#define MOD_CC_H

#include "httpd.h"
#include "http_config.h"
#include "util_filter.h"

#include "apr_atomic.h"
#include "apr_hash.h"

#include "cc_cookie.h"
#include "cc_decision.h"
#include "cc_decl.h"
#include "cc_mac.h"
#include "cc_render.h"

/* The one symbol the module exports (it is built with -fvisibility=hidden: httpd loads modules
 * with RTLD_GLOBAL, and nothing else of ours belongs in its namespace). */
#if defined(__GNUC__)
extern module AP_MODULE_DECLARE_DATA __attribute__((visibility("default"))) cookieconsent_module;
#else
extern module AP_MODULE_DECLARE_DATA cookieconsent_module;
#endif

#define CC_UNSET (-1)
#define CC_DEFAULT_NAME "cookieconsent"
#define CC_DEFAULT_LIFETIME (180 * 24 * 3600)
#define CC_MAX_LIFETIME (395 * 24 * 3600)   /* 13 months: the CNIL ceiling */
#define CC_DEFAULT_ENDPOINT "/cookieconsent"
#define CC_FORM_MAX 16384
#define CC_FILTER_NAME "COOKIECONSENT_OUT"
#define CC_BANNER_FILTER "COOKIECONSENT_BANNER"
#define CC_LATE_FILTER "COOKIECONSENT_LATE"
#define CC_GATE_FILTER "COOKIECONSENT_GATE"
#define CC_DISCOVER_FILTER "COOKIECONSENT_DISCOVER"
#define CC_SCAN_PASS (64 * 1024)            /* bytes scanned before passing data on */
#define CC_NOTE_ENDPOINT "cookieconsent-endpoint"
#define CC_NOTE_STATE "cookieconsent-etag-state"
/* Set by COOKIECONSENT_GATE when it may change the response: its cache key (the response it
 * passes on is a function of it), or "" when it has none. */
#define CC_NOTE_GATE "cookieconsent-gate-key"
#define CC_EXCLUDE_BANNER 1                 /* CookieConsentExclude banner: no banner */
#define CC_EXCLUDE_ALL 2                    /* CookieConsentExclude all: as CookieConsent Off */

/* A server's settings with the defaults applied, resolved once at startup (cc_settings_resolve in
 * mod_cc_config.c holds every default): the request path reads these, never the raw fields. */
typedef struct {
    int undeclared_allow;               /* CookieConsentUndeclared allow (default block) */
    int report;                         /* CookieConsentMode report (default enforce) */
    int gpc;                            /* CookieConsentGPC (default On) */
    int filter_request;                 /* CookieConsentFilterRequest (default On) */
    int clamp;                          /* CookieConsentClampRetention (default On) */
    const char *choice_name;            /* CookieConsentChoiceCookie (default cookieconsent) */
    apr_int64_t lifetime;               /* its lifetime (default 180 days) */
    const char *endpoint;               /* CookieConsentEndpoint (default /cookieconsent) */
    apr_array_header_t *languages;      /* offered: CookieConsentLanguages, or from the texts */
    int languages_explicit;
    int rec_kind;                       /* CookieConsentRecords: CC_REC_* (default off) */
    const char *rec_arg;                /* its file or piped command */
    int rec_addr;                       /* CookieConsentRecordsAddress (default truncated) */
    apr_interval_time_t rec_timeout;    /* CookieConsentRecordsTimeout (default 2 s) */
    apr_int64_t rec_retention;          /* CookieConsentRecordsRetention, seconds (default:
                                         * the consent lifetime plus 3 years) */
    int discovery;                      /* CookieConsentDiscovery (default On) */
} cc_settings_t;

/* CookieConsentRecords targets (issue 10, mod_cc_records.c). */
#define CC_REC_OFF 0
#define CC_REC_FILE 1
#define CC_REC_PIPE 2
#define CC_REC_DBD 3
#define CC_DEFAULT_REC_TIMEOUT apr_time_from_sec(2)
#define CC_REC_RETENTION_EXTRA (3 * 365 * 24 * 3600)  /* default: lifetime + 3 years */
#define CC_EXPORT_HANDLER "cookieconsent-records"   /* SetHandler that opens the export */

/* Per server (vhost) configuration. Lists hold what this context declared; merged field by
 * field. */
typedef struct {
    apr_array_header_t *categories;     /* cc_category_t * */
    apr_array_header_t *cookies;        /* cc_cookie_decl_t * */
    int undeclared_allow;
    int report;
    int gpc;
    int filter_request;
    int clamp;                          /* CookieConsentClampRetention, default On */
    const char *choice_name;
    const char *choice_where;           /* "file:line" of CookieConsentChoiceCookie */
    apr_int64_t lifetime;
    const char *endpoint;
    const char *revision;
    apr_array_header_t *languages;      /* const char *, first = default; NULL = unset */
    const char *lang_cookie;
    apr_array_header_t *gcm;            /* cc_gcm_t: CookieConsentGoogleConsent; NULL = unset */
    apr_array_header_t *ui_texts;       /* cc_ui_text_t: CookieConsentText; NULL = none */
    cc_settings_t set;                  /* resolved in check_config */
    cc_decl_t *decl;                    /* built and checked in check_config */
    struct cc_prerendered_s *snippets;  /* per offered language, built at startup */
    int n_snippets;
    apr_array_header_t *exclude_banner; /* const char *: CookieConsentExclude banner patterns */
    apr_array_header_t *exclude_all;    /* const char *: CookieConsentExclude all patterns */
    int rec_kind;                       /* CookieConsentRecords, CC_UNSET when not given */
    const char *rec_arg;
    const char *rec_where;              /* "file:line" of CookieConsentRecords */
    int rec_addr;                       /* cc_addr_mode_e, CC_UNSET */
    apr_interval_time_t rec_timeout;    /* CC_UNSET */
    apr_int64_t rec_retention;          /* CC_UNSET */
    void *rec_target;                   /* mod_cc_records.c's open target (post_config) */
    int discovery;                      /* CookieConsentDiscovery, CC_UNSET */
    /* mod_cc_status.c (post_config): this server's counters (CC_STAT_N of them) and discovery
     * table in shared memory, NULL when it has no declarations (or no shared memory) */
    apr_uint64_t *stat;
    struct cc_disc_table_t *disc;       /* NULL with CookieConsentDiscovery Off */
    const char *secret_file;            /* CookieConsentSecretFile (NULL: the generated key) */
    const char *secret_where;           /* its "file:line" */
    const apr_array_header_t *keys;     /* cc_mac_key_t, loaded in check_config (a vhost without
                                         * directives of ours shares the server's record: the
                                         * site name comes from the request, cc_signer) */
} cc_srv_conf;

/* Per directory: only the on/off switch, so a <Location> can turn the module off. */
typedef struct {
    int enabled;
    int banner;
} cc_dir_conf;

/* Per request chain (shared by subrequests and internal redirects through r->main / r->prev). */
typedef struct {
    const cc_srv_conf *conf;
    cc_decision_t dec;
    apr_array_header_t *held;           /* cc_cookie_t: what the browser sent */
    apr_array_header_t *original;       /* const char *: the Cookie headers as received */
    apr_array_header_t *original_end;   /* int: index in held after each header's pairs */
    int filtered;                       /* the Cookie headers have been filtered */
    request_rec *env_for;               /* the request the decision was last exported to */
    apr_array_header_t *own_consent;    /* const char *: the consent Set-Cookie the endpoint sent */
    int consent_copies;                 /* consent cookies the browser sent */
    request_rec *vary_for;              /* the request cc_banner_vary() last ran for */
    request_rec *headers_done_for;      /* the request cc_out_filter fixed the headers of */
    const char *html_type;              /* cc_type_is_html()'s last media type ... */
    int html_known, html_yes;           /* ... and its answer */
    request_rec *banner_off_for;        /* cc_banner_off()'s answer for this request ... */
    const char *banner_off_type;        /* ... and this r->content_type (the same pointer) */
    const char *banner_off_why;
    cc_verdict_e *verdicts;             /* per held cookie, for verdicts_for (cc_held_verdicts) */
    const cc_cookie_decl_t **rows;
    apr_uint32_t verdicts_for;
    int refused_held;
    const char *allowed_list, *refused_list;    /* COOKIECONSENT_CATEGORIES / _REFUSED */
    apr_uint32_t lists_for;
    int lists_valid;
    /* held, original and original_end start in these (no allocation for the usual request) */
    apr_array_header_t held_arr, original_arr, original_end_arr;
    cc_cookie_t held_buf[8];
    const char *original_buf[2];
    int original_end_buf[2];
    int excluded;                       /* CC_EXCLUDE_* bits of the visitor's URL path */
    int exclude_checked;                /* excluded is known (cc_exclude_check has run) */
    request_rec *made_for;              /* the request that made this context */
} cc_req_ctx;

/* Each glue file registers its own hooks (mod_cookieconsent.c calls these; the order of the
 * hooks is in docs/architecture.md). */
void cc_config_register(void);
void cc_request_register(void);
void cc_headers_register(void);
void cc_interim_register_hooks(apr_pool_t *p);
void cc_gate_register(void);
void cc_banner_register(void);
void cc_endpoint_register(void);
void cc_records_register(void);
void cc_secret_register(void);

/* mod_cc_config.c: records, directives, defaults, startup checks */
extern const command_rec cc_cmds[];
void *cc_create_srv(apr_pool_t *p, server_rec *s);
void *cc_merge_srv(apr_pool_t *p, void *basev, void *addv);
void *cc_create_dir(apr_pool_t *p, char *path);
void *cc_merge_dir(apr_pool_t *p, void *basev, void *addv);
void cc_warn_insecure_choice(apr_pool_t *ptemp, server_rec *s_main);
void cc_warn_block_required(apr_pool_t *ptemp, server_rec *s_main);
cc_srv_conf *cc_srv(server_rec *s);
int cc_dir_enabled(ap_conf_vector_t *dir);
int cc_dir_banner(ap_conf_vector_t *dir);
void cc_exclude_check(request_rec *r, cc_req_ctx *ctx);
int cc_req_enabled(request_rec *r);
int cc_req_banner(request_rec *r);
const char *cc_conf_name(const cc_srv_conf *c);
apr_int64_t cc_conf_lifetime(const cc_srv_conf *c);
const char *cc_conf_endpoint(const cc_srv_conf *c);

/* mod_cc_request.c: the per-request context, what pages are rendered for, report mode */
cc_req_ctx *cc_ctx_get(request_rec *r);
int cc_https(request_rec *r);
apr_int64_t cc_now(void);
void cc_export_env(request_rec *r, cc_req_ctx *ctx);
void cc_held_verdicts(apr_pool_t *p, cc_req_ctx *ctx);
const char *cc_original_uri(request_rec *r);
/* "report: would ACTION "NAME" WHAT (why) on METHOD URI": NOTICE once per child and minute. */
void cc_report(request_rec *r, const char *action, const char *name, const char *what,
               const char *why);
const char *cc_query_arg(request_rec *r, const char *name);
const char *cc_held_cookie(const cc_req_ctx *ctx, const char *name);
void cc_render_init(request_rec *r, const cc_req_ctx *ctx, cc_render_t *rc, const char *ret);

/* mod_cc_secret.c: what signs and verifies consent values for r's virtual host */
void cc_signer(const request_rec *r, const cc_srv_conf *c, cc_mac_signer_t *out);

/* mod_cc_banner.c: banner injection, Vary and validators of pages it applies to */
void cc_vary(request_rec *r, const char *token);
void cc_banner_vary(request_rec *r);
int cc_static_not_html(request_rec *r);
/* r->content_type is text/html (memoized per media type string in the context). */
int cc_type_is_html(request_rec *r);

/* mod_cc_records.c: consent records (issue 10) */
/* Records the decision just taken (ctx->dec is the new one, before the one the visitor held;
 * form_action the form's action; source banner, settings, api or placeholder). Never fails the
 * request: a record that cannot be stored goes to the error log at ERROR. */
void cc_records_decision(request_rec *r, const cc_req_ctx *ctx, const cc_decision_t *before,
                         const char *form_action, const char *source);
/* GET <endpoint>/receipt */
int cc_records_receipt(request_rec *r, cc_req_ctx *ctx);
/* GET <endpoint>/records (403 unless SetHandler cookieconsent-records opened it) */
int cc_records_export(request_rec *r);

/* mod_cc_status.c: counters in shared memory per virtual host, shown by mod_status (issue 11).
 * Counting is one atomic add on the server's shared counters: no lock, no allocation. In
 * report mode, what the module would have done is counted. */
typedef enum {
    CC_STAT_DECIDED = 0,                /* requests with a current choice */
    CC_STAT_UNDECIDED,                  /* requests without one */
    CC_STAT_GPC,                        /* requests decided by Sec-GPC: 1 */
    CC_STAT_ACCEPT_ALL,                 /* choices recorded, by action */
    CC_STAT_REJECT_ALL,
    CC_STAT_SAVE,
    CC_STAT_ALLOW,
    CC_STAT_SET_COOKIE_REMOVED,         /* Set-Cookie headers removed */
    CC_STAT_CLAMPED,                    /* Set-Cookie headers clamped to their row's Retention */
    CC_STAT_EXPIRED,                    /* refused cookies the browser held, expired */
    CC_STAT_HELD,                       /* elements held by the gate */
    CC_STAT_UNDECLARED,                 /* undeclared cookie names seen (Set-Cookie, Cookie) */
    CC_STAT_BAD_SIGNATURE,              /* consent cookies with a bad signature */
    CC_STAT_N
} cc_stat_e;
#define CC_STAT_SLOTS 32                /* room in the shared layout (>= CC_STAT_N) */
#define CC_DISCOVERED_HANDLER "cookieconsent-discovered"   /* SetHandler opening /discovered */

static APR_INLINE void cc_stat_add(const cc_srv_conf *c, cc_stat_e which, apr_uint32_t n)
{
    if (c->stat) {
#if defined(__GNUC__)
        __atomic_fetch_add(&c->stat[which], (apr_uint64_t)n, __ATOMIC_RELAXED);
#else
        apr_atomic_add64(&c->stat[which], n);
#endif
    }
}
/* The same for the request's server (for callers without the context at hand). */
void cc_status_count(request_rec *r, cc_stat_e which);
/* GET <endpoint>/discovered, and SetHandler cookieconsent-discovered (403 unless opened). */
int cc_discover_page(request_rec *r);
/* Discovery of undeclared cookies: a response's Set-Cookie (parsed), a request's cookie. */
void cc_discover_set_cookie(request_rec *r, const cc_req_ctx *ctx, const char *set_cookie);
void cc_discover_request_cookie(request_rec *r, const cc_req_ctx *ctx, const char *name);
/* Discovery of third-party elements on pages the gate does not read anyway: at most one HTML
 * response per child every CC_DISC_SAMPLE_EVERY seconds is read. _due: a sample may be taken
 * now (a read, for insert_filter); cc_discover_sample takes it (1) or not (0). */
#define CC_DISC_SAMPLE_EVERY 10
int cc_discover_sample_due(request_rec *r, const cc_srv_conf *c);
int cc_discover_sample(request_rec *r, const cc_srv_conf *c);
void cc_discover_element(void *baton, unsigned kind, const char *url);
/* The consent POST's action (accept-all, reject-all, save, allow). */
void cc_status_choice(const cc_srv_conf *c, const char *action);
void cc_status_register(void);

/* mod_cc_interim.c: Set-Cookie removal in interim responses (100, 101, 103) */
/* Arms the connection's interim filter with the request's decision (ctx), or disarms it (NULL).
 * Called for main requests; follows internal redirects. */
void cc_interim_request(request_rec *r, const cc_req_ctx *ctx);
/* The final response of r starts: interim responses are over. */
void cc_interim_final(request_rec *r);

#endif

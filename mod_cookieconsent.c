/*
 * mod_cookieconsent.c - server-side cookie consent for Apache httpd 2.4 (the httpd glue).
 *
 * The decisions live in src/cc_*.c, which know nothing of httpd. This file maps httpd's request
 * life cycle onto them:
 *
 *   post_read_request  read the consent cookie and Sec-GPC, decide, hide refused cookies from the
 *                      Cookie header(s) before rewrite, handlers, CGI or proxies see them
 *   header_parser      honour "CookieConsent Off" in <Location>/<Directory>, export the decision
 *   translate_name     claim the URLs under CookieConsentEndpoint
 *   handler            the consent endpoint (POST .../consent, GET .../state)
 *   COOKIECONSENT_OUT  an output filter, also inserted on the error path, that removes refused
 *                      Set-Cookie headers from both header tables and expires refused cookies the
 *                      browser still holds, on its first call, then steps aside
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

#include "cc_assets.h"
#include "cc_cookie.h"
#include "cc_decision.h"
#include "cc_decl.h"
#include "cc_form.h"
#include "cc_glob.h"
#include "cc_i18n.h"
#include "cc_matcher.h"
#include "cc_render.h"
#include "cc_text.h"

module AP_MODULE_DECLARE_DATA cookieconsent_module;

#define CC_UNSET (-1)
#define CC_DEFAULT_NAME "cookieconsent"
#define CC_DEFAULT_LIFETIME (180 * 24 * 3600)
#define CC_MAX_LIFETIME (395 * 24 * 3600)   /* 13 months: the CNIL ceiling */
#define CC_DEFAULT_ENDPOINT "/cookieconsent"
#define CC_FORM_MAX 16384
#define CC_FILTER_NAME "COOKIECONSENT_OUT"
#define CC_BANNER_FILTER "COOKIECONSENT_BANNER"
#define CC_SCAN_PASS (64 * 1024)            /* bytes scanned before passing data on */
#define CC_NOTE_ENDPOINT "cookieconsent-endpoint"
#define CC_NOTE_DONE "cookieconsent-headers-done"

/* Per server (vhost) configuration. Lists hold what this context declared; merged field by field. */
typedef struct {
    apr_array_header_t *categories;     /* cc_category_t * */
    apr_array_header_t *cookies;        /* cc_cookie_decl_t * */
    int undeclared_allow;
    int report;
    int gpc;
    int filter_request;
    const char *choice_name;
    apr_int64_t lifetime;
    const char *endpoint;
    const char *revision;
    apr_array_header_t *languages;      /* const char *, first = default; NULL = unset */
    const char *lang_cookie;
    cc_decl_t *decl;                    /* built and checked in check_config */
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
    int filtered;                       /* the Cookie headers have been filtered */
} cc_req_ctx;

/* ------------------------------------------------------------------------------------------ */
/* Configuration records                                                                        */

static void *cc_create_srv(apr_pool_t *p, server_rec *s)
{
    cc_srv_conf *c = apr_pcalloc(p, sizeof(*c));

    (void)s;
    c->categories = apr_array_make(p, 4, sizeof(cc_category_t *));
    c->cookies = apr_array_make(p, 8, sizeof(cc_cookie_decl_t *));
    c->undeclared_allow = c->report = c->gpc = c->filter_request = CC_UNSET;
    c->lifetime = CC_UNSET;
    return c;
}

#define CC_PICK(field, unset) (add->field != (unset) ? add->field : base->field)

static apr_array_header_t *cc_merge_categories(apr_pool_t *p, const apr_array_header_t *base,
                                               const apr_array_header_t *add)
{
    apr_array_header_t *out = apr_array_copy(p, base);
    int i, j;

    for (i = 0; i < add->nelts; i++) {
        cc_category_t *c = APR_ARRAY_IDX(add, i, cc_category_t *);
        for (j = 0; j < out->nelts; j++) {
            if (!strcmp(APR_ARRAY_IDX(out, j, cc_category_t *)->name, c->name)) {
                break;
            }
        }
        if (j < out->nelts) {
            APR_ARRAY_IDX(out, j, cc_category_t *) = c;
        }
        else {
            APR_ARRAY_PUSH(out, cc_category_t *) = c;
        }
    }
    return out;
}

static void *cc_merge_srv(apr_pool_t *p, void *basev, void *addv)
{
    const cc_srv_conf *base = basev, *add = addv;
    cc_srv_conf *c = apr_pcalloc(p, sizeof(*c));

    /* A vhost adds rows to the server's table and may redefine a category by name. */
    c->categories = cc_merge_categories(p, base->categories, add->categories);
    c->cookies = apr_array_append(p, base->cookies, add->cookies);
    c->undeclared_allow = CC_PICK(undeclared_allow, CC_UNSET);
    c->report = CC_PICK(report, CC_UNSET);
    c->gpc = CC_PICK(gpc, CC_UNSET);
    c->filter_request = CC_PICK(filter_request, CC_UNSET);
    c->choice_name = CC_PICK(choice_name, NULL);
    c->lifetime = CC_PICK(lifetime, CC_UNSET);
    c->endpoint = CC_PICK(endpoint, NULL);
    c->revision = CC_PICK(revision, NULL);
    c->languages = CC_PICK(languages, NULL);
    c->lang_cookie = CC_PICK(lang_cookie, NULL);
    return c;
}

static void *cc_create_dir(apr_pool_t *p, char *path)
{
    cc_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    (void)path;
    c->enabled = CC_UNSET;
    c->banner = CC_UNSET;
    return c;
}

static void *cc_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    const cc_dir_conf *base = basev, *add = addv;
    cc_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    c->enabled = CC_PICK(enabled, CC_UNSET);
    c->banner = CC_PICK(banner, CC_UNSET);
    return c;
}

static cc_srv_conf *cc_srv(server_rec *s)
{
    return ap_get_module_config(s->module_config, &cookieconsent_module);
}

static int cc_dir_enabled(ap_conf_vector_t *dir)
{
    const cc_dir_conf *dc = ap_get_module_config(dir, &cookieconsent_module);

    return dc && dc->enabled == 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Directives                                                                                   */

static int cc_token_valid(const char *s)
{
    if (!*s) {
        return 0;
    }
    for (; *s; s++) {
        if (!cc_token_char((unsigned char)*s)) {
            return 0;
        }
    }
    return 1;
}

static int cc_dir_banner(ap_conf_vector_t *dir)
{
    const cc_dir_conf *dc = ap_get_module_config(dir, &cookieconsent_module);

    return dc && dc->banner != 0;
}

static const char *cc_set_enabled(cmd_parms *cmd, void *dirv, int on)
{
    (void)cmd;
    ((cc_dir_conf *)dirv)->enabled = on;
    return NULL;
}

static const char *cc_set_banner(cmd_parms *cmd, void *dirv, int on)
{
    (void)cmd;
    ((cc_dir_conf *)dirv)->banner = on;
    return NULL;
}

static const char *cc_set_languages(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_srv_conf *c = cc_srv(cmd->server);

    (void)dirv;
    if (!cc_lang_tag_valid(arg)) {
        return apr_psprintf(cmd->pool, "CookieConsentLanguages: \"%s\" is not a language tag "
                            "(such as en, fr, pt-BR)", arg);
    }
    if (!c->languages) {
        c->languages = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(c->languages, const char *) = arg;
    return NULL;
}

static const char *cc_set_lang_cookie(cmd_parms *cmd, void *dirv, const char *arg)
{
    (void)dirv;
    if (!cc_token_valid(arg)) {
        return apr_psprintf(cmd->pool, "CookieConsentLanguageCookie: \"%s\" is not a valid "
                            "cookie name", arg);
    }
    cc_srv(cmd->server)->lang_cookie = arg;
    return NULL;
}

static const char *cc_set_flag(cmd_parms *cmd, void *dirv, int on)
{
    cc_srv_conf *c = cc_srv(cmd->server);

    (void)dirv;
    *(int *)((char *)c + (apr_size_t)cmd->info) = on;
    return NULL;
}

static const char *cc_set_undeclared(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_srv_conf *c = cc_srv(cmd->server);

    (void)dirv;
    if (strcasecmp(arg, "block") && strcasecmp(arg, "allow")) {
        return apr_psprintf(cmd->pool, "CookieConsentUndeclared: \"%s\" is not block or allow",
                            arg);
    }
    c->undeclared_allow = !strcasecmp(arg, "allow");
    return NULL;
}

static const char *cc_set_mode(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_srv_conf *c = cc_srv(cmd->server);

    (void)dirv;
    if (strcasecmp(arg, "enforce") && strcasecmp(arg, "report")) {
        return apr_psprintf(cmd->pool, "CookieConsentMode: \"%s\" is not enforce or report", arg);
    }
    c->report = !strcasecmp(arg, "report");
    return NULL;
}

static const char *cc_set_choice(cmd_parms *cmd, void *dirv, const char *name, const char *life)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    apr_int64_t secs;
    const char *err;

    (void)dirv;
    if (!cc_token_valid(name)) {
        return apr_psprintf(cmd->pool, "CookieConsentChoiceCookie: \"%s\" is not a valid cookie "
                            "name", name);
    }
    c->choice_name = name;
    if (!life) {
        return NULL;
    }
    if ((err = cc_duration_parse(life, &secs))) {
        return apr_psprintf(cmd->pool, "CookieConsentChoiceCookie: lifetime \"%s\": %s", life,
                            err);
    }
    if (secs == 0) {
        return "CookieConsentChoiceCookie: the lifetime cannot be session: the choice must be "
               "remembered (e.g. 180d)";
    }
    if (secs > CC_MAX_LIFETIME) {
        return apr_psprintf(cmd->pool, "CookieConsentChoiceCookie: lifetime \"%s\" is over 13 "
                            "months (395d): consent must be asked again by then", life);
    }
    c->lifetime = secs;
    return NULL;
}

static const char *cc_set_endpoint(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    apr_size_t len = strlen(arg);
    const char *s;

    (void)dirv;
    if (arg[0] != '/' || arg[1] == '/' || len < 2) {
        return apr_psprintf(cmd->pool, "CookieConsentEndpoint: \"%s\" is not an absolute URL "
                            "path such as /cookieconsent", arg);
    }
    for (s = arg; *s; s++) {
        if (*s != '/' && (*s == '%' || !cc_token_char((unsigned char)*s))) {
            return apr_psprintf(cmd->pool, "CookieConsentEndpoint: \"%s\" contains '%c'; use a "
                                "plain path such as /cookieconsent", arg, *s);
        }
    }
    while (len > 1 && arg[len - 1] == '/') {
        len--;
    }
    c->endpoint = apr_pstrmemdup(cmd->pool, arg, len);
    return NULL;
}

static const char *cc_set_revision(cmd_parms *cmd, void *dirv, const char *arg)
{
    (void)dirv;
    if (!cc_utf8_valid(arg, strlen(arg))) {
        return "CookieConsentRevision: the text is not valid UTF-8";
    }
    cc_srv(cmd->server)->revision = arg;
    return NULL;
}

/* "file:line" of the directive being read, for messages given after the configuration is read. */
static const char *cc_where(cmd_parms *cmd)
{
    return apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename, cmd->directive->line_num);
}

/* The single argument of "<Container ARG>", without the closing '>'. */
static const char *cc_container_arg(cmd_parms *cmd, const char *raw, const char *directive,
                                    const char **arg)
{
    const char *end = ap_strrchr_c(raw, '>');
    char *inner;

    if (!end) {
        return apr_psprintf(cmd->pool, "%s> directive missing closing '>'", directive);
    }
    inner = apr_pstrmemdup(cmd->temp_pool, raw, end - raw);
    *arg = ap_getword_conf(cmd->pool, (const char **)&inner);
    if (!**arg) {
        return apr_psprintf(cmd->pool, "%s> needs a name", directive);
    }
    if (*inner) {
        return apr_psprintf(cmd->pool, "%s> takes one name; quote a name with spaces", directive);
    }
    return NULL;
}

/* Splits a child's arguments into words. */
static apr_array_header_t *cc_words(cmd_parms *cmd, const char *args)
{
    apr_array_header_t *w = apr_array_make(cmd->pool, 4, sizeof(const char *));
    const char *word;

    while (*(word = ap_getword_conf(cmd->pool, &args))) {
        APR_ARRAY_PUSH(w, const char *) = word;
    }
    return w;
}

#define CC_WORD(w, i) APR_ARRAY_IDX((w), (i), const char *)

/* "Title [LANG] text": adds a cc_text_t to texts. ctx names the container for messages. */
static const char *cc_add_text(cmd_parms *cmd, const char *ctx, const char *dir,
                               apr_array_header_t *w, apr_array_header_t **texts)
{
    cc_text_t *t;
    const char *lang = "", *text;
    int i;

    if (w->nelts == 2) {
        lang = CC_WORD(w, 0);
        if (!cc_lang_tag_valid(lang)) {
            return apr_psprintf(cmd->pool, "%s: %s: \"%s\" is not a language tag (such as en, "
                                "fr, pt-BR)", ctx, dir, lang);
        }
    }
    else if (w->nelts != 1) {
        return apr_psprintf(cmd->pool, "%s: %s takes an optional language tag and one quoted "
                            "text", ctx, dir);
    }
    text = CC_WORD(w, w->nelts - 1);
    if (!cc_utf8_valid(text, strlen(text))) {
        return apr_psprintf(cmd->pool, "%s: %s: the text is not valid UTF-8 (save the "
                            "configuration file as UTF-8)", ctx, dir);
    }
    if (!*texts) {
        *texts = apr_array_make(cmd->pool, 2, sizeof(cc_text_t));
    }
    for (i = 0; i < (*texts)->nelts; i++) {
        if (!strcasecmp(APR_ARRAY_IDX(*texts, i, cc_text_t).lang, lang)) {
            return apr_psprintf(cmd->pool, "%s: %s given twice for language \"%s\"", ctx, dir,
                                *lang ? lang : "(default)");
        }
    }
    t = apr_array_push(*texts);
    t->lang = lang;
    t->text = text;
    return NULL;
}

static const char *cc_category_child(cmd_parms *cmd, cc_category_t *cat, const char *ctx,
                                     const ap_directive_t *d)
{
    apr_array_header_t *w = cc_words(cmd, d->args);

    if (!strcasecmp(d->directive, "Required")) {
        if (w->nelts != 1 || (strcasecmp(CC_WORD(w, 0), "On") && strcasecmp(CC_WORD(w, 0), "Off"))) {
            return apr_psprintf(cmd->pool, "%s: Required must be On or Off", ctx);
        }
        cat->required = !strcasecmp(CC_WORD(w, 0), "On");
        return NULL;
    }
    if (!strcasecmp(d->directive, "Title")) {
        return cc_add_text(cmd, ctx, "Title", w, &cat->titles);
    }
    if (!strcasecmp(d->directive, "Description")) {
        return cc_add_text(cmd, ctx, "Description", w, &cat->descriptions);
    }
    return apr_psprintf(cmd->pool, "%s: unknown directive \"%s\" (expected Required, Title, "
                        "Description)", ctx, d->directive);
}

static const char *cc_category_section(cmd_parms *cmd, void *dirv, const char *raw)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    cc_category_t *cat;
    const ap_directive_t *d;
    const char *name, *err, *ctx;
    int i;

    (void)dirv;
    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_LOC_FILE))
        || (err = cc_container_arg(cmd, raw, "<CookieConsentCategory", &name))) {
        return err;
    }
    ctx = apr_psprintf(cmd->pool, "CookieConsentCategory \"%s\"", name);
    if (!cc_category_name_valid(name)) {
        return apr_psprintf(cmd->pool, "%s: a category name is lower case letters, digits, _ "
                            "and -, starting with a letter (e.g. statistical)", ctx);
    }
    for (i = 0; i < c->categories->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(c->categories, i, cc_category_t *)->name, name)) {
            return apr_psprintf(cmd->pool, "%s: duplicate category (already declared at %s)",
                                ctx, APR_ARRAY_IDX(c->categories, i, cc_category_t *)->where);
        }
    }
    cat = apr_pcalloc(cmd->pool, sizeof(*cat));
    cat->name = name;
    cat->where = cc_where(cmd);
    for (d = cmd->directive->first_child; d; d = d->next) {
        if ((err = cc_category_child(cmd, cat, ctx, d))) {
            return err;
        }
    }
    APR_ARRAY_PUSH(c->categories, cc_category_t *) = cat;
    return NULL;
}

static const char *cc_cookie_names(cmd_parms *cmd, cc_cookie_decl_t *row, const char *ctx,
                                   apr_array_header_t *w)
{
    const char *err;
    int i;

    if (!w->nelts) {
        return apr_psprintf(cmd->pool, "%s: Names needs at least one cookie name", ctx);
    }
    for (i = 0; i < w->nelts; i++) {
        if ((err = cc_glob_check(CC_WORD(w, i)))) {
            return apr_psprintf(cmd->pool, "%s: Names: bad pattern \"%s\": %s", ctx,
                                CC_WORD(w, i), err);
        }
    }
    row->names = row->names ? apr_array_append(cmd->pool, row->names, w) : w;
    return NULL;
}

static const char *cc_cookie_domains(cmd_parms *cmd, cc_cookie_decl_t *row, const char *ctx,
                                     apr_array_header_t *w)
{
    int i;
    const char *s;

    if (!w->nelts) {
        return apr_psprintf(cmd->pool, "%s: Domain needs at least one domain", ctx);
    }
    for (i = 0; i < w->nelts; i++) {
        const char *dom = CC_WORD(w, i);
        if (*dom == '.') {
            dom++;  /* RFC 6265bis ignores a leading dot */
        }
        for (s = dom; *s; s++) {
            if (!apr_isalnum(*s) && *s != '-' && *s != '.') {
                return apr_psprintf(cmd->pool, "%s: Domain \"%s\" is not a host name", ctx,
                                    CC_WORD(w, i));
            }
        }
        if (!*dom) {
            return apr_psprintf(cmd->pool, "%s: empty Domain", ctx);
        }
        CC_WORD(w, i) = apr_pstrdup(cmd->pool, dom);
    }
    row->domains = w;
    return NULL;
}

static const char *cc_cookie_child(cmd_parms *cmd, cc_cookie_decl_t *row, const char *ctx,
                                   const ap_directive_t *d)
{
    apr_array_header_t *w = cc_words(cmd, d->args);
    const char *err;

    if (!strcasecmp(d->directive, "Names")) {
        return cc_cookie_names(cmd, row, ctx, w);
    }
    if (!strcasecmp(d->directive, "Domain")) {
        return cc_cookie_domains(cmd, row, ctx, w);
    }
    if (!strcasecmp(d->directive, "Purpose")) {
        return cc_add_text(cmd, ctx, "Purpose", w, &row->purposes);
    }
    if (w->nelts != 1) {
        return apr_psprintf(cmd->pool, "%s: %s takes one argument", ctx, d->directive);
    }
    if (!strcasecmp(d->directive, "Category")) {
        row->category = CC_WORD(w, 0);
        return NULL;
    }
    if (!strcasecmp(d->directive, "Path")) {
        if (CC_WORD(w, 0)[0] != '/' || strpbrk(CC_WORD(w, 0), ";,\\")) {
            return apr_psprintf(cmd->pool, "%s: Path \"%s\" must be an absolute path without ; , "
                                "or \\", ctx, CC_WORD(w, 0));
        }
        row->path = CC_WORD(w, 0);
        return NULL;
    }
    if (!strcasecmp(d->directive, "Retention")) {
        if ((err = cc_duration_parse(CC_WORD(w, 0), &row->retention))) {
            return apr_psprintf(cmd->pool, "%s: Retention \"%s\": %s", ctx, CC_WORD(w, 0), err);
        }
        row->retention_text = CC_WORD(w, 0);
        return NULL;
    }
    return apr_psprintf(cmd->pool, "%s: unknown directive \"%s\" (expected Category, Names, "
                        "Domain, Path, Retention, Purpose)", ctx, d->directive);
}

static const char *cc_cookie_section(cmd_parms *cmd, void *dirv, const char *raw)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    cc_cookie_decl_t *row;
    const ap_directive_t *d;
    const char *label, *err, *ctx;

    (void)dirv;
    if ((err = ap_check_cmd_context(cmd, NOT_IN_DIR_LOC_FILE))
        || (err = cc_container_arg(cmd, raw, "<CookieConsentCookie", &label))) {
        return err;
    }
    ctx = apr_psprintf(cmd->pool, "CookieConsentCookie \"%s\"", label);
    if (!cc_utf8_valid(label, strlen(label))) {
        return "CookieConsentCookie: the row name is not valid UTF-8";
    }
    row = apr_pcalloc(cmd->pool, sizeof(*row));
    row->label = label;
    row->path = "/";
    row->retention = -1;
    row->where = cc_where(cmd);
    for (d = cmd->directive->first_child; d; d = d->next) {
        if ((err = cc_cookie_child(cmd, row, ctx, d))) {
            return err;
        }
    }
    if (!row->names) {
        return apr_psprintf(cmd->pool, "%s: no Names (declare the cookie names, e.g. Names "
                            "_pk_id*)", ctx);
    }
    if (!row->category) {
        return apr_psprintf(cmd->pool, "%s: no Category", ctx);
    }
    APR_ARRAY_PUSH(c->cookies, cc_cookie_decl_t *) = row;
    return NULL;
}

static const command_rec cc_cmds[] = {
    AP_INIT_FLAG("CookieConsent", cc_set_enabled, NULL, RSRC_CONF | ACCESS_CONF,
                 "On to enforce cookie consent here, Off to switch it off (default Off)"),
    AP_INIT_RAW_ARGS("<CookieConsentCategory", cc_category_section, NULL, RSRC_CONF,
                     "a cookie category: <CookieConsentCategory name> ... </CookieConsentCategory>"),
    AP_INIT_RAW_ARGS("<CookieConsentCookie", cc_cookie_section, NULL, RSRC_CONF,
                     "a row of the cookie table: <CookieConsentCookie \"label\"> ... "
                     "</CookieConsentCookie>"),
    AP_INIT_TAKE1("CookieConsentUndeclared", cc_set_undeclared, NULL, RSRC_CONF,
                  "block (default) or allow cookies that no row declares"),
    AP_INIT_TAKE1("CookieConsentMode", cc_set_mode, NULL, RSRC_CONF,
                  "enforce (default) or report (log what would be removed)"),
    AP_INIT_FLAG("CookieConsentGPC", cc_set_flag, (void *)APR_OFFSETOF(cc_srv_conf, gpc),
                 RSRC_CONF, "On (default): Sec-GPC: 1 without a decision is a refusal"),
    AP_INIT_TAKE12("CookieConsentChoiceCookie", cc_set_choice, NULL, RSRC_CONF,
                   "name [lifetime] of the cookie holding the choice (cookieconsent 180d)"),
    AP_INIT_TAKE1("CookieConsentEndpoint", cc_set_endpoint, NULL, RSRC_CONF,
                  "URL prefix of the module's own pages (default /cookieconsent)"),
    AP_INIT_FLAG("CookieConsentFilterRequest", cc_set_flag,
                 (void *)APR_OFFSETOF(cc_srv_conf, filter_request), RSRC_CONF,
                 "On (default): hide refused cookies from the application"),
    AP_INIT_TAKE1("CookieConsentRevision", cc_set_revision, NULL, RSRC_CONF,
                  "any text; changing it asks every visitor again"),
    AP_INIT_FLAG("CookieConsentBanner", cc_set_banner, NULL, RSRC_CONF | ACCESS_CONF,
                 "On (default): inject the consent banner into HTML pages"),
    AP_INIT_ITERATE("CookieConsentLanguages", cc_set_languages, NULL, RSRC_CONF,
                    "languages offered, the first is the default (default: en)"),
    AP_INIT_TAKE1("CookieConsentLanguageCookie", cc_set_lang_cookie, NULL, RSRC_CONF,
                  "the site's language cookie (e.g. django_language)"),
    {NULL}
};

/* ------------------------------------------------------------------------------------------ */
/* Startup: merged declarations are checked once, so a broken table stops apachectl -t.          */

static const char *cc_conf_name(const cc_srv_conf *c)
{
    return c->choice_name ? c->choice_name : CC_DEFAULT_NAME;
}

static apr_int64_t cc_conf_lifetime(const cc_srv_conf *c)
{
    return c->lifetime != CC_UNSET ? c->lifetime : CC_DEFAULT_LIFETIME;
}

static const char *cc_conf_endpoint(const cc_srv_conf *c)
{
    return c->endpoint ? c->endpoint : CC_DEFAULT_ENDPOINT;
}

static int cc_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                           server_rec *s_main)
{
    server_rec *s;
    const char *err;

    (void)plog;
    for (s = s_main; s; s = s->next) {
        cc_srv_conf *c = cc_srv(s);
        cc_decl_t *d;

        c->decl = NULL;
        if (!cc_dir_enabled(s->lookup_defaults) && !c->cookies->nelts) {
            continue;  /* nothing to enforce here; <Location> On without a table stays inert */
        }
        d = apr_pcalloc(pconf, sizeof(*d));
        d->categories = c->categories;
        d->cookies = c->cookies;
        d->revision = c->revision;
        d->consent_name = cc_conf_name(c);
        d->undeclared_allow = c->undeclared_allow == 1;
        if ((err = cc_decl_finish(pconf, d))) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                         "cookieconsent: %s (server %s:%u)", err,
                         s->server_hostname ? s->server_hostname : "(default)",
                         s->addrs ? s->addrs->host_port : 0);
            return !OK;
        }
        c->decl = d;
        if (!c->languages) {
            c->languages = apr_array_make(pconf, 1, sizeof(const char *));
            APR_ARRAY_PUSH(c->languages, const char *) = "en";
        }
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, "cookieconsent: %d categories, %d cookie "
                     "rows, fingerprint %s", d->categories->nelts, d->cookies->nelts,
                     d->fingerprint);
    }
    (void)ptemp;
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Request side                                                                                 */

static cc_req_ctx *cc_ctx_get(request_rec *r)
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

static int cc_https(request_rec *r)
{
    return !strcasecmp(ap_http_scheme(r), "https");
}

static apr_int64_t cc_now(void)
{
    return (apr_int64_t)apr_time_sec(apr_time_now());
}

static void cc_export_env(request_rec *r, const cc_req_ctx *ctx)
{
    const cc_decl_t *d = ctx->conf->decl;
    apr_table_t *e = r->subprocess_env;

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

static const char *cc_consent_value(const cc_req_ctx *ctx)
{
    const cc_cookie_t *c = (const cc_cookie_t *)ctx->held->elts;
    const char *name = ctx->conf->decl->consent_name;
    int i;

    /* With duplicates (a stale Domain variant and a fresh host-only one) the browser sends the
     * longer path / older cookie first; any valid one is an explicit choice, so take the last
     * well-formed value, which is the most recently created one in practice. */
    for (i = ctx->held->nelts - 1; i >= 0; i--) {
        if (!strcmp(c[i].name, name)) {
            return c[i].value;
        }
    }
    return NULL;
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
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, b->r, "cookieconsent: report: would hide "
                      "cookie \"%s\" from the application (%s)", cookie->name,
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
    cc_decision_make(r->pool, d, cc_consent_value(ctx), apr_table_get(r->headers_in, "Sec-GPC"),
                     conf->gpc != 0, cc_now(), cc_conf_lifetime(conf), &ctx->dec);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "cookieconsent: decision: %s, source %s, "
                  "consent cookie %s, allowed [%s]", ctx->dec.decided ? "decided" : "undecided",
                  cc_source_name(ctx->dec.source), cc_consent_status_name(ctx->dec.cookie),
                  cc_decision_categories(r->pool, d, &ctx->dec, 1, " "));
    ap_set_module_config(r->request_config, &cookieconsent_module, ctx);
    return ctx;
}

static void cc_add_output_filter(request_rec *r)
{
    ap_filter_t *f;

    for (f = r->output_filters; f; f = f->next) {
        if (f->frec->filter_func.out_func && !strcasecmp(f->frec->name, CC_FILTER_NAME)) {
            return;
        }
    }
    ap_add_output_filter(CC_FILTER_NAME, NULL, r, r->connection);
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
    if (ctx->conf->filter_request != 0) {
        cc_filter_request_cookies(r, ctx);
    }
    cc_export_env(r, ctx);
    /* Added here too so quick handlers (mod_cache) that skip insert_filter are covered. */
    cc_add_output_filter(r);
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
    if (!enabled) {
        if (ctx->filtered) {
            cc_restore_request_cookies(r, ctx);
        }
        return DECLINED;
    }
    if (!ctx->filtered && ctx->conf->filter_request != 0) {
        cc_filter_request_cookies(r, ctx);
    }
    cc_export_env(r, ctx);
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
} cc_strip_baton;

static int cc_check_set_cookie(void *baton, const char *key, const char *value)
{
    cc_strip_baton *b = baton;
    cc_set_cookie_t sc;
    const cc_cookie_decl_t *row = NULL;
    cc_verdict_e v;

    (void)key;
    if (cc_set_cookie_parse(b->r->pool, value, &sc)) {
        /* Browsers ignore such a header; dropping it is the safe reading. */
        v = CC_REFUSE_UNDECLARED;
        sc.name = "(unparsable)";
    }
    else {
        v = cc_decision_cookie(b->ctx->conf->decl, &b->ctx->dec, sc.name, &row);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, b->r, "cookieconsent: Set-Cookie \"%s\" in %s%s%s:"
                  " %s", sc.name, b->table, row ? ", row " : "", row ? row->label : "",
                  cc_verdict_reason(v));
    if (cc_verdict_keeps(v)) {
        APR_ARRAY_PUSH(b->kept, const char *) = value;
        return 1;
    }
    b->refused++;
    if (b->ctx->conf->report == 1) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, b->r, "cookieconsent: report: would remove "
                      "Set-Cookie \"%s\" (%s)", sc.name, cc_verdict_reason(v));
        APR_ARRAY_PUSH(b->kept, const char *) = value;
    }
    return 1;
}

/* Removes refused Set-Cookie headers from t. Kept ones are re-added one per header, in order, so
 * they are never merged; other headers keep their order. */
static void cc_strip_set_cookies(request_rec *r, const cc_req_ctx *ctx, apr_table_t *t,
                                 const char *name)
{
    cc_strip_baton b = {r, ctx, name, NULL, 0};
    int i;

    if (!apr_table_get(t, "Set-Cookie")) {
        return;
    }
    b.kept = apr_array_make(r->pool, 4, sizeof(const char *));
    apr_table_do(cc_check_set_cookie, &b, t, "Set-Cookie", NULL);
    if (!b.refused || ctx->conf->report == 1) {
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
            ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "cookieconsent: report: would expire "
                          "cookie \"%s\" held by the browser (%s)", c[i].name,
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
    if (ctx && !r->main && cc_dir_enabled(r->per_dir_config)
        && !apr_table_get(r->notes, CC_NOTE_DONE)) {
        apr_table_setn(r->notes, CC_NOTE_DONE, "1");
        cc_strip_set_cookies(r, ctx, r->headers_out, "headers_out");
        cc_strip_set_cookies(r, ctx, r->err_headers_out, "err_headers_out");
        cc_expire_held(r, ctx);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static void cc_insert_filter(request_rec *r)
{
    if (!r->main && cc_ctx_get(r)) {
        cc_add_output_filter(r);
    }
}

static void cc_insert_banner_filter(request_rec *r)
{
    if (!r->main && cc_ctx_get(r) && cc_dir_banner(r->per_dir_config)) {
        ap_add_output_filter(CC_BANNER_FILTER, NULL, r, r->connection);
    }
}


/* ------------------------------------------------------------------------------------------ */
/* Rendering: language, return path, nonce                                                      */

static char cc_asset_ver[13];

static int cc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf, (void)plog, (void)ptemp, (void)s;
    cc_assets_version(cc_asset_ver);
    return OK;
}

/* The first value of a query-string argument, or NULL. */
static const char *cc_query_arg(request_rec *r, const char *name)
{
    apr_array_header_t *fields;

    if (!r->args || cc_form_parse(r->pool, r->args, strlen(r->args), &fields)) {
        return NULL;
    }
    return cc_form_get(fields, name);
}

static const char *cc_held_cookie(const cc_req_ctx *ctx, const char *name)
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

static void cc_render_init(request_rec *r, const cc_req_ctx *ctx, cc_render_t *rc,
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

typedef struct {
    cc_matcher_t matcher;
    const char *snippet;
    apr_size_t snippet_len;
    apr_bucket_brigade *rest;
    int done;
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
    if (!cc_ctx_get(r) || !cc_dir_enabled(r->per_dir_config) || !cc_dir_banner(r->per_dir_config)) {
        return "off here";
    }
    if (apr_table_get(r->notes, CC_NOTE_ENDPOINT)) {
        return "the module's own page";
    }
    if (r->status != HTTP_OK) {
        return "status is not 200";
    }
    if (r->header_only) {
        return "HEAD request";
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

static void cc_vary(request_rec *r, const char *token)
{
    const char *v = apr_table_get(r->headers_out, "Vary");

    if (!v || !ap_find_token(r->pool, v, token)) {
        apr_table_mergen(r->headers_out, "Vary", token);
    }
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
        /* Another state gives other bytes: a weak tag naming the snippet's hash. A validator the
         * handler checked against the original tag then never matches, so no stale 304. */
        unsigned char digest[APR_SHA1_DIGESTSIZE];
        apr_sha1_ctx_t sha;
        apr_size_t n;

        apr_sha1_init(&sha);
        apr_sha1_update(&sha, ic->snippet, (unsigned int)ic->snippet_len);
        apr_sha1_final(digest, &sha);
        if (!strncmp(etag, "W/", 2)) {
            etag += 2;
        }
        n = strlen(etag);
        if (n >= 2 && etag[0] == '"' && etag[n - 1] == '"') {
            etag = apr_pstrmemdup(r->pool, etag + 1, n - 2);
        }
        apr_table_setn(r->headers_out, "ETag",
                       apr_psprintf(r->pool, "W/\"%s-cc%02x%02x%02x%02x\"", etag, digest[0],
                                    digest[1], digest[2], digest[3]));
    }
    apr_table_unset(r->headers_out, "Last-Modified");
    apr_table_unset(r->headers_out, "Content-MD5");
    cc_vary(r, "Cookie");
    cc_vary(r, "Accept-Language");
}

static cc_inject_ctx *cc_inject_start(ap_filter_t *f)
{
    request_rec *r = f->r;
    cc_inject_ctx *ic = apr_pcalloc(r->pool, sizeof(*ic));
    cc_render_t rc;

    cc_matcher_init(&ic->matcher);
    cc_render_init(r, cc_ctx_get(r), &rc, r->unparsed_uri);
    cc_render_nonces(r, &rc);
    ic->snippet = cc_render_snippet(r->pool, &rc);
    ic->snippet_len = strlen(ic->snippet);
    ic->rest = apr_brigade_create(r->pool, f->c->bucket_alloc);
    cc_inject_headers(r, ic);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "cookieconsent: injecting the %s (%" APR_SIZE_T_FMT
                  " bytes, lang %s)", cc_render_shows_banner(&rc) ? "banner" : "settings button",
                  ic->snippet_len, rc.lang);
    return ic;
}

static void cc_inject_snippet(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket *before)
{
    apr_bucket *s = apr_bucket_heap_create(ic->snippet, ic->snippet_len, NULL,
                                           f->c->bucket_alloc);

    APR_BUCKET_INSERT_BEFORE(before, s);
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

static apr_status_t cc_inject_scan(ap_filter_t *f, cc_inject_ctx *ic, apr_bucket_brigade *bb)
{
    apr_bucket *b = APR_BRIGADE_FIRST(bb);
    apr_size_t scanned = 0, len;
    apr_ssize_t at;
    const char *data;
    apr_status_t rv;

    while (!ic->done && b != APR_BRIGADE_SENTINEL(bb)) {
        if (APR_BUCKET_IS_EOS(b)) {
            cc_inject_snippet(f, ic, b);       /* no <body> tag: the end of the document */
            break;
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            b = APR_BUCKET_NEXT(b);
            continue;
        }
        /* A file bucket reads as its first block, the rest staying a file bucket for sendfile. */
        if ((rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ)) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, f->r, "cookieconsent: reading the response");
            return rv;
        }
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

static apr_status_t cc_banner_filter(ap_filter_t *f, apr_bucket_brigade *bb)
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
        f->ctx = cc_inject_start(f);
    }
    return cc_inject_scan(f, f->ctx, bb);
}

/* ------------------------------------------------------------------------------------------ */
/* The endpoint                                                                                 */

static int cc_translate_name(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *ep;
    apr_size_t len;

    if (!ctx || r->main || !r->uri || r->uri[0] != '/') {
        return DECLINED;
    }
    ep = cc_conf_endpoint(ctx->conf);
    len = strlen(ep);
    if (strncmp(r->uri, ep, len) || (r->uri[len] != '/' && r->uri[len] != '\0')) {
        return DECLINED;
    }
    apr_table_setn(r->notes, CC_NOTE_ENDPOINT, r->uri + len);
    r->filename = apr_pstrcat(r->pool, "cookieconsent:", r->uri, NULL);
    return OK;
}

static int cc_map_to_storage(request_rec *r)
{
    /* Our URLs are not files: skip the directory walk, as mod_proxy does. */
    return apr_table_get(r->notes, CC_NOTE_ENDPOINT) ? OK : DECLINED;
}

static int cc_wants_json(request_rec *r)
{
    const char *accept = apr_table_get(r->headers_in, "Accept");

    return accept && ap_strcasestr(accept, "application/json") != NULL;
}

static int cc_send_json(request_rec *r, const cc_req_ctx *ctx)
{
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (!r->header_only) {
        ap_rputs(cc_decision_json(r->pool, ctx->conf->decl, &ctx->dec,
                                  cc_conf_lifetime(ctx->conf)), r);
        ap_rputs("\n", r);
    }
    return OK;
}

/* Reads a small urlencoded body into *body. */
static int cc_read_form(request_rec *r, const char **body, apr_size_t *len)
{
    const char *ctype = apr_table_get(r->headers_in, "Content-Type");
    char *buf;
    long n;
    int rv;

    if (ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33)) {
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    if ((rv = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK) {
        return rv;
    }
    *len = 0;
    buf = apr_palloc(r->pool, CC_FORM_MAX + 1);
    if (ap_should_client_block(r)) {
        if (r->remaining > CC_FORM_MAX) {
            return HTTP_REQUEST_ENTITY_TOO_LARGE;
        }
        while ((n = ap_get_client_block(r, buf + *len, CC_FORM_MAX + 1 - *len)) > 0) {
            *len += n;
            if (*len > CC_FORM_MAX) {
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
        }
        if (n < 0) {
            return HTTP_BAD_REQUEST;
        }
    }
    buf[*len] = '\0';
    *body = buf;
    return OK;
}

/* The accepted optional categories for action; -1 for an unknown action. */
static apr_int64_t cc_form_choice(const cc_decl_t *d, const apr_array_header_t *fields)
{
    const char *action = cc_form_get(fields, "action");
    const cc_form_field_t *f = (const cc_form_field_t *)fields->elts;
    apr_uint32_t mask = 0;
    int i, idx;

    if (!action) {
        return -1;
    }
    if (!strcmp(action, "accept-all")) {
        return d->optional_mask;
    }
    if (!strcmp(action, "reject-all")) {
        return 0;
    }
    if (strcmp(action, "save")) {
        return -1;
    }
    for (i = 0; i < fields->nelts; i++) {
        if (!strcmp(f[i].name, "category") && (idx = cc_decl_category_index(d, f[i].value)) >= 0) {
            mask |= 1u << idx;  /* unknown names are ignored; required bits are dropped later */
        }
    }
    return mask & d->optional_mask;
}

static void cc_set_consent_cookie(request_rec *r, const cc_req_ctx *ctx, const char *value)
{
    const cc_srv_conf *c = ctx->conf;

    /* err_headers_out: the cookie must survive whatever status the response ends with. */
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   apr_psprintf(r->pool, "%s=%s; Path=/; Max-Age=%" APR_INT64_T_FMT
                                "; SameSite=Lax%s", c->decl->consent_name, value,
                                cc_conf_lifetime(c), cc_https(r) ? "; Secure" : ""));
}

static int cc_send_see_other(request_rec *r, const char *location)
{
    r->status = HTTP_SEE_OTHER;
    apr_table_setn(r->headers_out, "Location", location);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_type(r, "text/html; charset=utf-8");
    if (!r->header_only) {
        ap_rvputs(r, "<!DOCTYPE html><title>Saved</title><p>Your choice is saved. <a href=\"",
                  ap_escape_html(r->pool, location), "\">Continue</a></p>\n", NULL);
    }
    return OK;
}

static int cc_handle_consent(request_rec *r, cc_req_ctx *ctx)
{
    const cc_decl_t *d = ctx->conf->decl;
    apr_array_header_t *fields;
    const char *body, *err, *id, *value;
    apr_size_t len;
    apr_int64_t mask, now = cc_now();
    int rv;

    if (r->method_number != M_POST) {
        /* ap_send_error_response builds Allow from r->allowed_methods. */
        ap_allow_methods(r, 1, "POST", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (cc_cross_site(apr_table_get(r->headers_in, "Origin"),
                      apr_table_get(r->headers_in, "Sec-Fetch-Site"), ap_http_scheme(r),
                      apr_table_get(r->headers_in, "Host"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: cross-site consent POST "
                      "refused (Origin %s)", apr_table_get(r->headers_in, "Origin"));
        return HTTP_FORBIDDEN;
    }
    if ((rv = cc_read_form(r, &body, &len)) != OK) {
        return rv;
    }
    if ((err = cc_form_parse(r->pool, body, len, &fields))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: consent POST: %s", err);
        return HTTP_BAD_REQUEST;
    }
    if ((mask = cc_form_choice(d, fields)) < 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: consent POST: action is not "
                      "accept-all, reject-all or save");
        return HTTP_BAD_REQUEST;
    }
    if (cc_consent_new_id(r->pool, &id) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "cookieconsent: no random bytes for a consent "
                      "id");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    value = cc_consent_encode(r->pool, d, (apr_uint32_t)mask, now, id);
    cc_decision_chosen(d, (apr_uint32_t)mask, now, id, &ctx->dec);
    cc_set_consent_cookie(r, ctx, value);
    cc_export_env(r, ctx);
    apr_table_setn(r->subprocess_env, "COOKIECONSENT_RECORD", value);
    /* The proof of consent: who (id), when, which declarations (fingerprint), what. */
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: consent recorded: id %s, "
                  "fingerprint %s, time %" APR_INT64_T_FMT ", action %s, accepted [%s]", id,
                  d->fingerprint, now, cc_form_get(fields, "action"),
                  cc_decision_categories(r->pool, d, &ctx->dec, 1, " "));
    if (cc_wants_json(r)) {
        return cc_send_json(r, ctx);
    }
    return cc_send_see_other(r, cc_return_path(cc_form_get(fields, "return")));
}


static int cc_handle_asset(request_rec *r, const char *name)
{
    const cc_asset_t *a = cc_asset_find(name);
    int rv;

    if (!a) {
        return HTTP_NOT_FOUND;
    }
    if (r->method_number != M_GET) {
        ap_allow_methods(r, 1, "GET", "HEAD", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, a->type);
    /* URLs carry ?v=<version>: a new build gets new URLs, so a year of caching is safe. */
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=31536000, immutable");
    apr_table_setn(r->headers_out, "ETag", apr_psprintf(r->pool, "\"%s\"", cc_asset_ver));
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if ((rv = ap_meets_conditions(r)) != OK) {
        return rv;
    }
    ap_set_content_length(r, (apr_off_t)a->len);
    if (!r->header_only) {
        ap_rwrite(a->data, (int)a->len, r);
    }
    return OK;
}

/* GET <endpoint>/settings and <endpoint>/policy. */
static int cc_handle_page(request_rec *r, cc_req_ctx *ctx, const char *page)
{
    cc_render_t rc;
    const char *out;
    int json = 0;

    if (r->method_number != M_GET) {
        ap_allow_methods(r, 1, "GET", "HEAD", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    cc_render_init(r, ctx, &rc, cc_query_arg(r, "return"));
    if (!strcmp(page, "settings")) {
        const char *frag = cc_query_arg(r, "fragment");
        out = cc_render_settings(r->pool, &rc, frag && !strcmp(frag, "1"));
    }
    else {
        const char *fmt = cc_query_arg(r, "format");
        json = fmt && !strcmp(fmt, "json");
        out = json ? cc_render_policy_json(r->pool, &rc) : cc_render_policy_html(r->pool, &rc);
    }
    ap_set_content_type(r, json ? "application/json" : "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "Content-Language", rc.lang);
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    cc_vary(r, "Cookie");
    cc_vary(r, "Accept-Language");
    ap_set_content_length(r, (apr_off_t)strlen(out));
    if (!r->header_only) {
        ap_rputs(out, r);
    }
    return OK;
}

static int cc_handler(request_rec *r)
{
    const char *sub = apr_table_get(r->notes, CC_NOTE_ENDPOINT);
    cc_req_ctx *ctx;

    if (!sub || r->main || !(ctx = cc_ctx_get(r)) || !cc_dir_enabled(r->per_dir_config)) {
        return DECLINED;
    }
    if (!strcmp(sub, "/consent")) {
        return cc_handle_consent(r, ctx);
    }
    if (!strncmp(sub, "/assets/", 8)) {
        return cc_handle_asset(r, sub + 8);
    }
    if (!strcmp(sub, "/settings") || !strcmp(sub, "/policy")) {
        return cc_handle_page(r, ctx, sub + 1);
    }
    if (!strcmp(sub, "/state")) {
        if (r->method_number != M_GET) {
            ap_allow_methods(r, 1, "GET", "HEAD", NULL);
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return cc_send_json(r, ctx);
    }
    return HTTP_NOT_FOUND;
}

/* ------------------------------------------------------------------------------------------ */

static void cc_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_check_config(cc_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cc_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(cc_post_read_request, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_translate_name(cc_translate_name, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(cc_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_header_parser(cc_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(cc_handler, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_filter(cc_insert_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_filter(cc_insert_banner_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_error_filter(cc_insert_filter, NULL, NULL, APR_HOOK_LAST);
    /* After mod_headers' fixups (AP_FTYPE_CONTENT_SET), before the protocol filters that send
     * the headers (AP_FTYPE_PROTOCOL). */
    ap_register_output_filter(CC_FILTER_NAME, cc_out_filter, NULL, AP_FTYPE_PROTOCOL - 1);
    /* RESOURCE: after the handler's own content filters (SSI), before mod_deflate. */
    ap_register_output_filter(CC_BANNER_FILTER, cc_banner_filter, NULL, AP_FTYPE_RESOURCE);
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

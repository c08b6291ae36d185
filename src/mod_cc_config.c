/* mod_cc_config.c - configuration records, directives and the startup check of the
 * declarations (a broken cookie table stops apachectl -t with a message naming the directive). */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "ap_listen.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include "cc_cookie.h"
#include "cc_decl.h"
#include "cc_glob.h"
#include "cc_i18n.h"
#include "cc_record.h"
#include "cc_text.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

/* ------------------------------------------------------------------------------------------ */
/* Configuration records                                                                        */

void *cc_create_srv(apr_pool_t *p, server_rec *s)
{
    cc_srv_conf *c = apr_pcalloc(p, sizeof(*c));

    (void)s;
    c->categories = apr_array_make(p, 4, sizeof(cc_category_t *));
    c->cookies = apr_array_make(p, 8, sizeof(cc_cookie_decl_t *));
    c->undeclared_allow = c->report = c->gpc = c->filter_request = c->clamp = CC_UNSET;
    c->lifetime = CC_UNSET;
    c->rec_kind = c->rec_addr = CC_UNSET;
    c->rec_timeout = CC_UNSET;
    c->rec_retention = CC_UNSET;
    c->discovery = CC_UNSET;
    c->exclude_banner = apr_array_make(p, 0, sizeof(const char *));
    c->exclude_all = apr_array_make(p, 0, sizeof(const char *));
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

void *cc_merge_srv(apr_pool_t *p, void *basev, void *addv)
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
    c->clamp = CC_PICK(clamp, CC_UNSET);
    c->choice_name = CC_PICK(choice_name, NULL);
    c->choice_where = add->choice_name ? add->choice_where : base->choice_where;
    c->lifetime = CC_PICK(lifetime, CC_UNSET);
    c->endpoint = CC_PICK(endpoint, NULL);
    c->revision = CC_PICK(revision, NULL);
    c->languages = CC_PICK(languages, NULL);
    c->lang_cookie = CC_PICK(lang_cookie, NULL);
    c->gcm = CC_PICK(gcm, NULL);
    c->secret_file = CC_PICK(secret_file, NULL);
    c->secret_where = add->secret_file ? add->secret_where : base->secret_where;
    /* A vhost's own strings first: they win over the server's (cc_i18n_site takes the first). */
    c->ui_texts = !add->ui_texts ? base->ui_texts : !base->ui_texts ? add->ui_texts
                : apr_array_append(p, add->ui_texts, base->ui_texts);
    /* Like the rows: the server's exclusions hold in every vhost, which may add its own. */
    c->exclude_banner = apr_array_append(p, base->exclude_banner, add->exclude_banner);
    c->exclude_all = apr_array_append(p, base->exclude_all, add->exclude_all);
    c->rec_kind = CC_PICK(rec_kind, CC_UNSET);
    c->rec_arg = add->rec_kind != CC_UNSET ? add->rec_arg : base->rec_arg;
    c->rec_where = add->rec_kind != CC_UNSET ? add->rec_where : base->rec_where;
    c->rec_addr = CC_PICK(rec_addr, CC_UNSET);
    c->rec_timeout = CC_PICK(rec_timeout, CC_UNSET);
    c->rec_retention = CC_PICK(rec_retention, CC_UNSET);
    c->discovery = CC_PICK(discovery, CC_UNSET);
    return c;
}

void *cc_create_dir(apr_pool_t *p, char *path)
{
    cc_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    (void)path;
    c->enabled = CC_UNSET;
    c->banner = CC_UNSET;
    return c;
}

void *cc_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    const cc_dir_conf *base = basev, *add = addv;
    cc_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    c->enabled = CC_PICK(enabled, CC_UNSET);
    c->banner = CC_PICK(banner, CC_UNSET);
    return c;
}

cc_srv_conf *cc_srv(server_rec *s)
{
    return ap_get_module_config(s->module_config, &cookieconsent_module);
}

int cc_dir_enabled(ap_conf_vector_t *dir)
{
    const cc_dir_conf *dc = ap_get_module_config(dir, &cookieconsent_module);

    return dc && dc->enabled == 1;
}

/* The first pattern of list that the whole path matches, or NULL. */
static const char *cc_exclude_match(const apr_array_header_t *list, const char *path)
{
    int i;

    for (i = 0; i < list->nelts; i++) {
        if (cc_glob_match(APR_ARRAY_IDX(list, i, const char *), path)) {
            return APR_ARRAY_IDX(list, i, const char *);
        }
    }
    return NULL;
}

/* CookieConsentExclude, once per request chain, from the header_parser: the patterns are matched
 * against the path of the request the visitor sent (the first of the chain), as httpd decoded and
 * normalized it, before any RewriteRule [PT], internal redirect (WordPress's "RewriteRule .
 * /index.php"), ErrorDocument or DirectoryIndex changed the URI. parsed_uri.path keeps it: httpd
 * normalizes it in place before the first walk, r->uri is only ever pointed elsewhere. */
void cc_exclude_check(request_rec *r, cc_req_ctx *ctx)
{
    const request_rec *first = r;
    const char *path, *pat;

    if (ctx->exclude_checked) {
        return;
    }
    ctx->exclude_checked = 1;
    while (first->prev || first->main) {
        first = first->prev ? first->prev : first->main;
    }
    path = first->parsed_uri.path;
    if (!path || *path != '/') {
        return;
    }
    if ((pat = cc_exclude_match(ctx->conf->exclude_all, path))) {
        ctx->excluded = CC_EXCLUDE_ALL | CC_EXCLUDE_BANNER;
    }
    else if ((pat = cc_exclude_match(ctx->conf->exclude_banner, path))) {
        ctx->excluded = CC_EXCLUDE_BANNER;
    }
    else {
        return;
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "cookieconsent: %s excluded by "
                  "CookieConsentExclude %s %s", path,
                  ctx->excluded & CC_EXCLUDE_ALL ? "all" : "banner", pat);
}

/* The per-directory switches, and CookieConsentExclude (never on the module's own URLs: their
 * Set-Cookie and expiries are the visitor's choice being recorded). */
static int cc_req_excluded(request_rec *r, int bit)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);

    return ctx && (ctx->excluded & bit) && !apr_table_get(r->notes, CC_NOTE_ENDPOINT);
}

int cc_req_enabled(request_rec *r)
{
    return cc_dir_enabled(r->per_dir_config) && !cc_req_excluded(r, CC_EXCLUDE_ALL);
}

int cc_req_banner(request_rec *r)
{
    return cc_dir_banner(r->per_dir_config) && !cc_req_excluded(r, CC_EXCLUDE_BANNER);
}

/* ------------------------------------------------------------------------------------------ */
/* Directives                                                                                   */

int cc_dir_banner(ap_conf_vector_t *dir)
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

/* CookieConsentExclude banner|all PATTERN...: the first word says what is switched off. */
static const char *cc_set_exclude(cmd_parms *cmd, void *dirv, const char *args)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    apr_array_header_t *list;
    const char *scope = ap_getword_conf(cmd->temp_pool, &args), *pat, *err;
    int n = 0;

    (void)dirv;
    if (!strcasecmp(scope, "banner")) {
        list = c->exclude_banner;
    }
    else if (!strcasecmp(scope, "all")) {
        list = c->exclude_all;
    }
    else {
        return apr_psprintf(cmd->pool, "CookieConsentExclude: the first word must be banner (no "
                            "banner on these paths) or all (no banner and no consent enforcement), "
                            "then one or more URL path patterns, e.g. CookieConsentExclude banner "
                            "/wp/checkout/*%s%s%s", *scope ? "; got \"" : "", scope,
                            *scope ? "\"" : "");
    }
    while (*args) {
        pat = ap_getword_conf(cmd->pool, &args);
        if ((err = cc_path_glob_check(pat))) {
            return apr_psprintf(cmd->pool, "CookieConsentExclude %s: pattern \"%s\": %s%s", scope,
                                pat, err, *pat == '#' ? " (a # starts a comment only at the "
                                "beginning of a line)" : "");
        }
        APR_ARRAY_PUSH(list, const char *) = pat;
        n++;
    }
    if (!n) {
        return apr_psprintf(cmd->pool, "CookieConsentExclude %s: no URL path pattern given "
                            "(e.g. CookieConsentExclude %s /wp/checkout/*)", scope, scope);
    }
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

static const char *cc_where(cmd_parms *cmd);
static int cc_has_control(const char *s, int no_space);

/* The names of every interface string, for messages. */
static const char *cc_ui_key_list(apr_pool_t *p)
{
    const char *out = "";
    int i;

    for (i = 0; i < CC_S_COUNT; i++) {
        out = apr_pstrcat(p, out, i ? " " : "", cc_i18n_key_name((cc_string_e)i), NULL);
    }
    return out;
}

/* CookieConsentText LANG KEY "text": one interface string of this server (the languages without
 * built-in strings are checked for missing keys at startup, cc_i18n_missing). */
static const char *cc_set_ui_text(cmd_parms *cmd, void *dirv, const char *lang, const char *key,
                                  const char *text)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    cc_ui_text_t *t;
    const char *err;
    int id = cc_i18n_key(key), i;

    (void)dirv;
    if (!cc_lang_tag_valid(lang)) {
        return apr_psprintf(cmd->pool, "CookieConsentText: \"%s\" is not a language tag (such as "
                            "en, fr, pt-BR)", lang);
    }
    if (id < 0) {
        return apr_psprintf(cmd->pool, "CookieConsentText %s: unknown key \"%s\" (the keys: %s)",
                            lang, key, cc_ui_key_list(cmd->temp_pool));
    }
    if (cc_has_control(text, 0)) {
        return apr_psprintf(cmd->pool, "CookieConsentText %s %s: the text contains a control "
                            "character", lang, key);
    }
    if (!cc_utf8_valid(text, strlen(text))) {
        return apr_psprintf(cmd->pool, "CookieConsentText %s %s: the text is not valid UTF-8 (save "
                            "the configuration file as UTF-8)", lang, key);
    }
    if (!*text) {
        return apr_psprintf(cmd->pool, "CookieConsentText %s %s: empty text", lang, key);
    }
    if ((err = cc_i18n_text_check(cmd->pool, (cc_string_e)id, text))) {
        return apr_psprintf(cmd->pool, "CookieConsentText %s: %s", lang, err);
    }
    if (!c->ui_texts) {
        c->ui_texts = apr_array_make(cmd->pool, 8, sizeof(cc_ui_text_t));
    }
    for (i = 0; i < c->ui_texts->nelts; i++) {
        t = &APR_ARRAY_IDX(c->ui_texts, i, cc_ui_text_t);
        if (t->key == id && !strcasecmp(t->lang, lang)) {
            return apr_psprintf(cmd->pool, "CookieConsentText %s %s given twice (first at %s)",
                                lang, cc_i18n_key_name((cc_string_e)id), t->where);
        }
    }
    t = apr_array_push(c->ui_texts);
    t->lang = lang;
    t->key = id;
    t->text = text;
    t->where = cc_where(cmd);
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


/* CookieConsentGoogleConsent CATEGORY SIGNAL...; the category is checked at startup. */
static const char *cc_set_gcm(cmd_parms *cmd, void *dirv, const char *args)
{
    cc_srv_conf *c = cc_srv(cmd->server);
    const char *cat = ap_getword_conf(cmd->temp_pool, &args), *sig;
    cc_gcm_t *g;
    int n = 0;

    (void)dirv;
    if (!*cat) {
        return "CookieConsentGoogleConsent: a category and one or more Google consent signals "
               "(e.g. CookieConsentGoogleConsent statistical analytics_storage)";
    }
    if (!c->gcm) {
        c->gcm = apr_array_make(cmd->pool, 4, sizeof(cc_gcm_t));
    }
    while (*args) {
        sig = ap_getword_conf(cmd->pool, &args);
        if (!strcmp(sig, "security_storage")) {
            return "CookieConsentGoogleConsent: security_storage is always granted (it is for "
                   "the site's own security), no category gives it";
        }
        if (!cc_gcm_signal_known(sig)) {
            return apr_psprintf(cmd->pool, "CookieConsentGoogleConsent %s: unknown signal \"%s\" "
                                "(known: ad_storage ad_user_data ad_personalization "
                                "analytics_storage functionality_storage "
                                "personalization_storage)", cat, sig);
        }
        g = apr_array_push(c->gcm);
        g->category = apr_pstrdup(cmd->pool, cat);
        g->signal = sig;
        g->category_index = -1;
        g->where = cc_where(cmd);
        n++;
    }
    if (!n) {
        return apr_psprintf(cmd->pool, "CookieConsentGoogleConsent %s: no signal given (e.g. "
                            "analytics_storage)", cat);
    }
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
    c->choice_where = apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename,
                                   cmd->directive->line_num);
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

/* CookieConsentRecords off | file:PATH | "|COMMAND" | dbd (issue 10) */
static const char *cc_set_records(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_srv_conf *c = cc_srv(cmd->server);

    (void)dirv;
    c->rec_arg = NULL;
    if (!strcasecmp(arg, "off")) {
        c->rec_kind = CC_REC_OFF;
    }
    else if (!strcasecmp(arg, "dbd")) {
        c->rec_kind = CC_REC_DBD;
    }
    else if (!strncmp(arg, "file:", 5) && arg[5]) {
        c->rec_kind = CC_REC_FILE;
        if (!(c->rec_arg = ap_server_root_relative(cmd->pool, arg + 5))) {
            return apr_psprintf(cmd->pool, "CookieConsentRecords: invalid file path \"%s\"",
                                arg + 5);
        }
    }
    else if (arg[0] == '|' && arg[1]) {
        c->rec_kind = CC_REC_PIPE;
        c->rec_arg = arg + 1;
    }
    else {
        return apr_psprintf(cmd->pool, "CookieConsentRecords: \"%s\" is not off, "
                            "file:/path/to/consent.jsonl, \"|/path/to/program args\" or dbd",
                            arg);
    }
    c->rec_where = apr_psprintf(cmd->pool, "%s:%d", cmd->directive->filename,
                                cmd->directive->line_num);
    return NULL;
}

static const char *cc_set_records_address(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_addr_mode_e mode;

    (void)dirv;
    if (cc_record_addr_mode(arg, &mode)) {
        return apr_psprintf(cmd->pool, "CookieConsentRecordsAddress: \"%s\" is not none, "
                            "truncated or full", arg);
    }
    cc_srv(cmd->server)->rec_addr = (int)mode;
    return NULL;
}

static const char *cc_set_records_timeout(cmd_parms *cmd, void *dirv, const char *arg)
{
    apr_interval_time_t t;

    (void)dirv;
    if (ap_timeout_parameter_parse(arg, &t, "s") != APR_SUCCESS || t <= 0
        || t > apr_time_from_sec(60)) {
        return apr_psprintf(cmd->pool, "CookieConsentRecordsTimeout: \"%s\" is not a time "
                            "between 1ms and 60s (e.g. 2s, 500ms)", arg);
    }
    cc_srv(cmd->server)->rec_timeout = t;
    return NULL;
}

static const char *cc_set_records_retention(cmd_parms *cmd, void *dirv, const char *arg)
{
    apr_int64_t secs;
    const char *err;

    (void)dirv;
    if ((err = cc_duration_parse(arg, &secs))) {
        return apr_psprintf(cmd->pool, "CookieConsentRecordsRetention: \"%s\": %s", arg, err);
    }
    if (secs == 0) {
        return "CookieConsentRecordsRetention: records cannot be kept for a session only: "
               "give a duration (e.g. 5y)";
    }
    cc_srv(cmd->server)->rec_retention = secs;
    return NULL;
}

static const char *cc_where(cmd_parms *cmd);

static const char *cc_set_secret_file(cmd_parms *cmd, void *dirv, const char *arg)
{
    cc_srv_conf *c = cc_srv(cmd->server);

    (void)dirv;
    /* Read in check_config (mod_cc_secret.c), where a problem names this line. */
    c->secret_file = ap_server_root_relative(cmd->pool, arg);
    if (!c->secret_file) {
        return apr_psprintf(cmd->pool, "CookieConsentSecretFile: \"%s\" is not a valid path", arg);
    }
    c->secret_where = cc_where(cmd);
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

/* 1 when s holds a control character (tab allowed in texts) or, with no_space, a space. */
static int cc_has_control(const char *s, int no_space)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == 0x7f || (c < 0x20 && c != '\t') || (no_space && (c == ' ' || c == '\t'))) {
            return 1;
        }
    }
    return 0;
}

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
    if (cc_has_control(text, 0)) {
        return apr_psprintf(cmd->pool, "%s: %s: the text contains a control character", ctx, dir);
    }
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
    if (!strcasecmp(d->directive, "Summary")) {
        return cc_add_text(cmd, ctx, "Summary", w, &cat->summaries);
    }
    return apr_psprintf(cmd->pool, "%s: unknown directive \"%s\" (expected Required, Title, "
                        "Summary, Description)", ctx, d->directive);
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

/* The words of a child's arguments, an empty one ("") included: cc_words stops there. */
static apr_array_header_t *cc_words_all(cmd_parms *cmd, const char *args)
{
    apr_array_header_t *w = apr_array_make(cmd->pool, 4, sizeof(const char *));

    while (*args) {
        APR_ARRAY_PUSH(w, const char *) = ap_getword_conf(cmd->pool, &args);
    }
    return w;
}

/* NULL when glob can be a Block pattern, else a sentence saying what is wrong with it. */
static const char *cc_block_glob_check(const char *glob)
{
    const char *s;

    if (!*glob) {
        return "an empty glob";
    }
    for (s = glob; *s; s++) {
        if (apr_isspace(*s) || apr_iscntrl(*s)) {
            return "a glob cannot hold white space or control characters (a space in a URL is "
                   "written %20)";
        }
    }
    if (strspn(glob, "*") == (apr_size_t)(s - glob)) {
        return "a glob of only * matches every URL: it would hold every script, iframe, image and "
               "stylesheet of the site, its own included, until the category is accepted; name "
               "the third party's address (e.g. https://www.googletagmanager.com/*)";
    }
    return NULL;
}

/* Block URL-GLOB...: appends to the row's globs. where is the Block line's file:line. */
static const char *cc_cookie_block(cmd_parms *cmd, cc_cookie_decl_t *row, const char *ctx,
                                   const char *where, apr_array_header_t *w)
{
    const char *err;
    int i;

    if (!w->nelts) {
        return apr_psprintf(cmd->pool, "%s (%s): Block needs at least one URL glob (e.g. Block "
                            "https://www.googletagmanager.com/*)", ctx, where);
    }
    for (i = 0; i < w->nelts; i++) {
        if ((err = cc_block_glob_check(CC_WORD(w, i)))) {
            return apr_psprintf(cmd->pool, "%s (%s): Block \"%s\": %s", ctx, where,
                                CC_WORD(w, i), err);
        }
    }
    row->block = row->block ? apr_array_append(cmd->pool, row->block, w) : w;
    return NULL;
}

/* BlockInline TEXT...: appends to the row's texts, looked for in inline scripts. */
static const char *cc_cookie_block_inline(cmd_parms *cmd, cc_cookie_decl_t *row,
                                          const char *ctx, const char *where,
                                          apr_array_header_t *w)
{
    int i;

    if (!w->nelts) {
        return apr_psprintf(cmd->pool, "%s (%s): BlockInline needs at least one text found in "
                            "the inline scripts to hold (e.g. BlockInline \"gtag(\")", ctx, where);
    }
    for (i = 0; i < w->nelts; i++) {
        const char *text = CC_WORD(w, i);
        apr_size_t len = strlen(text);
        if (cc_has_control(text, 0)) {
            return apr_psprintf(cmd->pool, "%s (%s): BlockInline \"%s\": the text contains a "
                                "control character", ctx, where, text);
        }
        if (!cc_utf8_valid(text, len)) {
            return apr_psprintf(cmd->pool, "%s (%s): BlockInline \"%s\": the text is not valid "
                                "UTF-8 (save the configuration file as UTF-8)", ctx, where, text);
        }
        if (len < 3) {
            return apr_psprintf(cmd->pool, "%s (%s): BlockInline \"%s\": the text is too short "
                                "(%" APR_SIZE_T_FMT " bytes, at least 3): it would hold unrelated "
                                "inline scripts", ctx, where, text, len);
        }
    }
    row->block_inline = row->block_inline ? apr_array_append(cmd->pool, row->block_inline, w)
                                          : w;
    return NULL;
}

static const char *cc_cookie_child(cmd_parms *cmd, cc_cookie_decl_t *row, const char *ctx,
                                   const ap_directive_t *d)
{
    apr_array_header_t *w;
    const char *err;

    if (!strcasecmp(d->directive, "Block") || !strcasecmp(d->directive, "BlockInline")) {
        const char *where = apr_psprintf(cmd->pool, "%s:%d", d->filename, d->line_num);
        w = cc_words_all(cmd, d->args);
        return d->directive[5] ? cc_cookie_block_inline(cmd, row, ctx, where, w)
                               : cc_cookie_block(cmd, row, ctx, where, w);
    }
    w = cc_words(cmd, d->args);
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
        if (CC_WORD(w, 0)[0] != '/' || strpbrk(CC_WORD(w, 0), ";,\\")
            || cc_has_control(CC_WORD(w, 0), 1)) {
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
                        "Domain, Path, Retention, Purpose, Block, BlockInline)", ctx, d->directive);
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
    if (!cc_utf8_valid(label, strlen(label)) || cc_has_control(label, 0)) {
        return "CookieConsentCookie: the row name is not valid UTF-8 or holds a control character";
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

const command_rec cc_cmds[] = {
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
    AP_INIT_FLAG("CookieConsentClampRetention", cc_set_flag,
                 (void *)APR_OFFSETOF(cc_srv_conf, clamp), RSRC_CONF,
                 "On (default): shorten kept cookies to their row's Retention"),
    AP_INIT_TAKE1("CookieConsentRevision", cc_set_revision, NULL, RSRC_CONF,
                  "any text; changing it asks every visitor again"),
    AP_INIT_FLAG("CookieConsentBanner", cc_set_banner, NULL, RSRC_CONF | ACCESS_CONF,
                 "On (default): inject the consent banner into HTML pages"),
    AP_INIT_RAW_ARGS("CookieConsentExclude", cc_set_exclude, NULL, RSRC_CONF,
                     "banner|all URL-PATH-PATTERN...: no banner (banner) or no consent "
                     "enforcement at all (all) on the paths the visitor asks for"),
    AP_INIT_ITERATE("CookieConsentLanguages", cc_set_languages, NULL, RSRC_CONF,
                    "languages offered, the first is the default (default: en and each "
                    "built-in language the texts are tagged with)"),
    AP_INIT_RAW_ARGS("CookieConsentGoogleConsent", cc_set_gcm, NULL, RSRC_CONF,
                     "CATEGORY SIGNAL...: Google Consent Mode v2 signals the category grants "
                     "(e.g. statistical analytics_storage)"),
    AP_INIT_TAKE3("CookieConsentText", cc_set_ui_text, NULL, RSRC_CONF,
                  "LANG KEY \"text\": an interface string in place of the built-in one (or of a "
                  "language without built-in strings: then every key)"),
    AP_INIT_TAKE1("CookieConsentLanguageCookie", cc_set_lang_cookie, NULL, RSRC_CONF,
                  "the site's language cookie (e.g. django_language)"),
    AP_INIT_TAKE1("CookieConsentRecords", cc_set_records, NULL, RSRC_CONF,
                  "off (default), file:PATH, \"|COMMAND\" (a piped log) or dbd (mod_dbd): where "
                  "each consent decision is recorded"),
    AP_INIT_TAKE1("CookieConsentRecordsAddress", cc_set_records_address, NULL, RSRC_CONF,
                  "none, truncated (default: IPv4 /24, IPv6 /48) or full: the visitor's address "
                  "in records"),
    AP_INIT_TAKE1("CookieConsentRecordsTimeout", cc_set_records_timeout, NULL, RSRC_CONF,
                  "the longest a consent POST waits for its record (default 2s)"),
    AP_INIT_TAKE1("CookieConsentRecordsRetention", cc_set_records_retention, NULL, RSRC_CONF,
                  "how long dbd records are kept (default: the consent lifetime plus 3y)"),
    AP_INIT_FLAG("CookieConsentDiscovery", cc_set_flag,
                 (void *)APR_OFFSETOF(cc_srv_conf, discovery), RSRC_CONF,
                 "On (default): keep the undeclared cookies and uncovered third parties seen, "
                 "for <endpoint>/discovered"),
    AP_INIT_TAKE1("CookieConsentSecretFile", cc_set_secret_file, NULL, RSRC_CONF,
                  "file of the keys that sign consent cookies, one a line (the first signs, "
                  "every one verifies); default: a key generated under the ServerRoot"),
    {NULL}
};

/* ------------------------------------------------------------------------------------------ */
/* Startup: merged declarations are checked once, so a broken table stops apachectl -t.          */

/* Every default, in one place: a merged record's settings as the request path reads them. */
static void cc_settings_resolve(cc_srv_conf *c)
{
    cc_settings_t *s = &c->set;

    s->undeclared_allow = c->undeclared_allow == 1;         /* default: block */
    s->report = c->report == 1;                             /* default: enforce */
    s->gpc = c->gpc != 0;                                   /* default: On */
    s->filter_request = c->filter_request != 0;             /* default: On */
    s->clamp = c->clamp != 0;                               /* default: On */
    s->choice_name = c->choice_name ? c->choice_name : CC_DEFAULT_NAME;
    s->lifetime = c->lifetime != CC_UNSET ? c->lifetime : CC_DEFAULT_LIFETIME;
    s->endpoint = c->endpoint ? c->endpoint : CC_DEFAULT_ENDPOINT;
    s->languages = c->languages;        /* NULL: worked out from the declarations (check_config) */
    s->languages_explicit = c->languages != NULL;
    s->rec_kind = c->rec_kind != CC_UNSET ? c->rec_kind : CC_REC_OFF;    /* default: off */
    s->rec_arg = c->rec_arg;
    s->rec_addr = c->rec_addr != CC_UNSET ? c->rec_addr : CC_ADDR_TRUNCATED;
    s->rec_timeout = c->rec_timeout != CC_UNSET ? c->rec_timeout : CC_DEFAULT_REC_TIMEOUT;
    /* records outlive the consent they prove by the limitation period of a claim (3 years) */
    s->rec_retention = c->rec_retention != CC_UNSET ? c->rec_retention
                                                    : s->lifetime + CC_REC_RETENTION_EXTRA;
    s->discovery = c->discovery != 0;                       /* default: On */
}

/* Getters of the resolved settings (cc_settings_resolve runs first in check_config). */
const char *cc_conf_name(const cc_srv_conf *c)
{
    return c->set.choice_name;
}

apr_int64_t cc_conf_lifetime(const cc_srv_conf *c)
{
    return c->set.lifetime;
}

const char *cc_conf_endpoint(const cc_srv_conf *c)
{
    return c->set.endpoint;
}

/* Block and BlockInline on a row of a required category hold nothing: what they match is always
 * allowed. Once per row (a server-wide row is in every virtual host's table). */
void cc_warn_block_required(apr_pool_t *ptemp, server_rec *s_main)
{
    apr_hash_t *seen = apr_hash_make(ptemp);
    server_rec *s;
    int i;

    for (s = s_main; s; s = s->next) {
        const cc_decl_t *d = cc_srv(s)->decl;
        for (i = 0; d && i < d->cookies->nelts; i++) {
            const cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, i, const cc_cookie_decl_t *);
            int block = row->block && row->block->nelts;
            int inl = row->block_inline && row->block_inline->nelts;
            if ((!block && !inl) || !(d->required_mask & (1u << row->category_index))
                || apr_hash_get(seen, &row, sizeof(row))) {
                continue;
            }
            apr_hash_set(seen, apr_pmemdup(ptemp, &row, sizeof(row)), sizeof(row), row);
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "cookieconsent: CookieConsentCookie "
                         "\"%s\" (%s): %s in category \"%s\": it is never held: the category "
                         "is required (always allowed); declare the row in an optional category "
                         "to hold what it matches until consent", row->label, row->where,
                         block && inl ? "Block and BlockInline" : block ? "Block" : "BlockInline",
                         row->category);
        }
    }
}

/* Block globs and BlockInline texts of a table, for the startup debug line. */
static void cc_block_counts(const cc_decl_t *d, int *globs, int *texts)
{
    int i;

    *globs = *texts = 0;
    for (i = 0; i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, i, const cc_cookie_decl_t *);
        *globs += row->block ? row->block->nelts : 0;
        *texts += row->block_inline ? row->block_inline->nelts : 0;
    }
}

static int cc_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                           server_rec *s_main)
{
    server_rec *s;
    const char *err;
    int globs, texts;

    (void)plog;
    for (s = s_main; s; s = s->next) {
        cc_srv_conf *c = cc_srv(s);
        cc_decl_t *d;
        int explicit_langs;

        c->decl = NULL;
        cc_settings_resolve(c);
        if (!cc_dir_enabled(s->lookup_defaults) && !c->cookies->nelts) {
            continue;  /* nothing to enforce here; <Location> On without a table stays inert */
        }
        d = apr_pcalloc(pconf, sizeof(*d));
        d->categories = c->categories;
        d->cookies = c->cookies;
        d->revision = c->revision;
        d->consent_name = cc_conf_name(c);
        d->undeclared_allow = c->set.undeclared_allow;
        d->gcm = c->gcm;
        d->ui_texts = c->ui_texts;
        if ((err = cc_decl_finish(pconf, d)) || (err = cc_i18n_missing(ptemp, d->ui_texts))) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                         "cookieconsent: %s (server %s:%u)", err,
                         s->server_hostname ? s->server_hostname : "(default)",
                         s->addrs ? s->addrs->host_port : 0);
            return !OK;
        }
        c->decl = d;
        /* Merging is over (vhosts took the server's explicit CookieConsentLanguages, if any):
         * without one, offer the built-in languages that this server's texts are written in. */
        explicit_langs = c->set.languages_explicit;
        if (!explicit_langs) {
            c->set.languages = cc_lang_offered(pconf, d, cc_i18n_builtin());
        }
        cc_block_counts(d, &globs, &texts);
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, "cookieconsent: server %s:%u: %d "
                     "categories, %d cookie rows, %d Block globs, %d BlockInline texts, "
                     "fingerprint %s, languages %s (%s)",
                     s->server_hostname ? s->server_hostname : "(default)",
                     s->addrs ? s->addrs->host_port : 0, d->categories->nelts,
                     d->cookies->nelts, globs, texts, d->fingerprint,
                     apr_array_pstrcat(ptemp, c->set.languages, ' '),
                     explicit_langs ? "CookieConsentLanguages" : "from the declared texts");
    }
    /* apachectl -t stops before post_config, where a real start gives these warnings: here, on
     * the reading that serves, the error logs are not open yet (a daemon's stderr is /dev/null). */
    if (ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST) {
        cc_warn_insecure_choice(ptemp, s_main);
        cc_warn_block_required(ptemp, s_main);
    }
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Startup: a __Host-/__Secure- consent cookie on a site without TLS                             */

/* 1 when a "Listen ... https" listener binds port (0: any port), or port is 443. */
static int cc_port_is_https(apr_port_t port)
{
    const ap_listen_rec *lr;

    if (port == 443) {
        return 1;
    }
    for (lr = ap_listeners; lr; lr = lr->next) {
        if (lr->protocol && !strcasecmp(lr->protocol, "https") && lr->bind_addr
            && (!port || lr->bind_addr->port == port)) {
            return 1;
        }
    }
    return 0;
}

/* httpd has no per-server "is TLS" at startup; this is the documented rule: an https://
 * ServerName (a TLS-terminating proxy in front), or, for a virtual host, an address on a port
 * that an https listener binds (or 443); for the main server, any https listener. */
static int cc_server_has_tls(const server_rec *s)
{
    const server_addr_rec *a;

    if (s->server_scheme && !strcasecmp(s->server_scheme, "https")) {
        return 1;
    }
    if (!s->is_virtual) {
        return cc_port_is_https(0);
    }
    for (a = s->addrs; a; a = a->next) {
        if (cc_port_is_https(a->host_port)) {
            return 1;
        }
    }
    return 0;
}

void cc_warn_insecure_choice(apr_pool_t *ptemp, server_rec *s_main)
{
    server_rec *s;

    for (s = s_main; s; s = s->next) {
        const cc_srv_conf *c = cc_srv(s);
        const char *name, *prefix, *host, *where;

        if (!c->decl || !cc_cookie_needs_secure(c->decl->consent_name) || cc_server_has_tls(s)) {
            continue;
        }
        name = c->decl->consent_name;
        prefix = apr_pstrmemdup(ptemp, name, strncasecmp(name, "__Host-", 7) ? 9 : 7);
        host = s->server_hostname ? s->server_hostname : "(no ServerName)";
        where = s->is_virtual && s->defn_name
            ? apr_psprintf(ptemp, "virtual host %s:%u (%s:%u)", host,
                           s->addrs ? s->addrs->host_port : 0, s->defn_name,
                           s->defn_line_number)
            : apr_psprintf(ptemp, "main server %s", host);
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "cookieconsent: %s: "
                     "CookieConsentChoiceCookie %s (%s): the %s prefix makes browsers refuse the "
                     "consent cookie unless it comes over HTTPS, and this server has no TLS (%s): no "
                     "choice can be recorded over plain HTTP. The cookie is sent with Secure; "
                     "serve the site over HTTPS (behind a TLS-terminating proxy, set ServerName "
                     "https://%s) or choose a name without the prefix", where, name,
                     c->choice_where ? c->choice_where : "?", prefix,
                     s->is_virtual ? "no https:// ServerName, no Listen ... https on its port, "
                                     "not port 443"
                                   : "no https:// ServerName, no Listen ... https", host);
    }
}

/* A real start: the warnings check_config gives only under apachectl -t (see there). httpd reads
 * the configuration twice at startup: warn on the reading that serves. */
static int cc_config_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)pconf, (void)plog;
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        cc_warn_insecure_choice(ptemp, s);
        cc_warn_block_required(ptemp, s);
    }
    return OK;
}

void cc_config_register(void)
{
    ap_hook_check_config(cc_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cc_config_post_config, NULL, NULL, APR_HOOK_MIDDLE);
}

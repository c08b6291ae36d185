/* mod_cc_endpoint.c - the URLs under CookieConsentEndpoint: POST consent, GET state, settings,
 * policy, the embedded assets; the receipt and the records export (mod_cc_records.c). */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include "cc_assets.h"
#include "cc_consent.h"
#include "cc_cookie.h"
#include "cc_form.h"
#include "cc_http.h"
#include "cc_i18n.h"
#include "cc_render.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

/* ------------------------------------------------------------------------------------------ */
/* The endpoint                                                                                 */

static int cc_translate_name(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *ep, *sub;

    if (!ctx || r->main || !r->uri || r->uri[0] != '/') {
        return DECLINED;
    }
    ep = cc_conf_endpoint(ctx->conf);
    if (!(sub = cc_http_under(r->uri, ep))) {
        return DECLINED;
    }
    apr_table_setn(r->notes, CC_NOTE_ENDPOINT, sub);
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

/* The parent domains of host ("a.b.example.com": b.example.com, example.com), none for an IP
 * address. */
static apr_array_header_t *cc_parent_domains(apr_pool_t *p, const char *host)
{
    apr_array_header_t *out = apr_array_make(p, 2, sizeof(const char *));
    const char *dot;

    if (!host || apr_isdigit(host[strlen(host) ? strlen(host) - 1 : 0]) || strchr(host, ':')) {
        return out;
    }
    for (dot = strchr(host, '.'); dot && strchr(dot + 1, '.'); dot = strchr(dot + 1, '.')) {
        APR_ARRAY_PUSH(out, const char *) = dot + 1;
    }
    return out;
}

static void cc_set_consent_cookie(request_rec *r, cc_req_ctx *ctx, const char *value)
{
    const cc_srv_conf *c = ctx->conf;
    const char *name = c->decl->consent_name;
    /* A __Host-/__Secure- name without Secure is dropped by the browser, whatever Apache sees:
     * behind a TLS-terminating proxy the request looks like plain HTTP. (Path=/ and no Domain
     * are what __Host- needs too.) */
    int secure = cc_https(r) || cc_cookie_needs_secure(name);
    apr_array_header_t *parents;
    int i;

    /* The browser held several copies (one set for a parent domain by a sibling site): the new
     * host-only one must be the only one left, or the copies disagree again and the visitor is
     * asked on every page (cc_decision_make_all). */
    ctx->own_consent = apr_array_make(r->pool, 2, sizeof(const char *));
    if (ctx->consent_copies > 1) {
        parents = cc_parent_domains(r->pool, r->hostname);
        for (i = 0; i < parents->nelts; i++) {
            APR_ARRAY_PUSH(ctx->own_consent, const char *) =
                cc_cookie_expiry(r->pool, name, APR_ARRAY_IDX(parents, i, const char *), "/",
                                 secure);
        }
    }
    APR_ARRAY_PUSH(ctx->own_consent, const char *) =
        apr_psprintf(r->pool, "%s=%s; Path=/; Max-Age=%" APR_INT64_T_FMT "; SameSite=Lax%s", name,
                     value, cc_conf_lifetime(c), secure ? "; Secure" : "");
    /* err_headers_out: the cookie must survive whatever status the response ends with. */
    for (i = 0; i < ctx->own_consent->nelts; i++) {
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       APR_ARRAY_IDX(ctx->own_consent, i, const char *));
    }
}

static int cc_send_see_other(request_rec *r, cc_req_ctx *ctx, const char *location)
{
    cc_render_t rc;

    r->status = HTTP_SEE_OTHER;
    apr_table_setn(r->headers_out, "Location", location);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_type(r, "text/html; charset=utf-8");
    if (!r->header_only) {
        /* Browsers follow the redirect; this is for the ones that show it. */
        const apr_array_header_t *ui = ctx->conf->ui_texts;
        cc_render_init(r, ctx, &rc, location);
        ap_rvputs(r, "<!DOCTYPE html><html lang=\"", ap_escape_html(r->pool, rc.lang),
                  "\"><title>", ap_escape_html(r->pool, cc_i18n_site(ui, rc.lang, CC_S_SAVED)),
                  "</title><p>", ap_escape_html(r->pool, cc_i18n_site(ui, rc.lang, CC_S_SAVED)),
                  " <a href=\"", ap_escape_html(r->pool, location), "\">",
                  ap_escape_html(r->pool, cc_i18n_site(ui, rc.lang, CC_S_CONTINUE)),
                  "</a></p></html>\n", NULL);
    }
    return OK;
}

/* Where the choice was made, for its record: a placeholder's "allow", the banner's or the
 * settings form's hidden source field; anything else is a client of the JSON API. */
static const char *cc_record_source(const apr_array_header_t *fields)
{
    const char *action = cc_form_get(fields, "action"), *src = cc_form_get(fields, "source");

    if (action && !strcmp(action, "allow")) {
        return "placeholder";
    }
    if (src && (!strcmp(src, "banner") || !strcmp(src, "settings"))) {
        return src;
    }
    return "api";
}

static int cc_handle_consent(request_rec *r, cc_req_ctx *ctx)
{
    const cc_decl_t *d = ctx->conf->decl;
    apr_array_header_t *fields;
    const char *body, *err, *id, *value;
    apr_size_t len;
    apr_int64_t mask, now = cc_now();
    cc_decision_t before;
    cc_mac_signer_t sig;
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
    if ((mask = cc_form_choice(d, &ctx->dec, fields)) < 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "cookieconsent: consent POST: action is not "
                      "accept-all, reject-all, save or allow");
        return HTTP_BAD_REQUEST;
    }
    if (cc_consent_new_id(r->pool, &id) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "cookieconsent: no random bytes for a consent "
                      "id");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    cc_signer(r, ctx->conf, &sig);
    if (!(value = cc_consent_encode(r->pool, d, &sig, (apr_uint32_t)mask, now, id))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "cookieconsent: the consent value cannot be "
                      "signed (no key, or libcrypto failed)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    before = ctx->dec;
    cc_decision_chosen(d, (apr_uint32_t)mask, now, id, &ctx->dec);
    cc_records_decision(r, ctx, &before, cc_form_get(fields, "action"),
                        cc_record_source(fields));
    cc_status_choice(ctx->conf, cc_form_get(fields, "action"));
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
    return cc_send_see_other(r, ctx, cc_return_path(cc_form_get(fields, "return")));
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
    apr_table_setn(r->headers_out, "ETag", apr_pstrcat(r->pool, "\"", cc_assets_ver(), "\"", NULL));
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

/* GET <endpoint>/consent-mode.js?s=HEX&v=FINGERPRINT: Google Consent Mode's default for the
 * optional categories in HEX (what COOKIECONSENT_GATE links when it has no CSP nonce). The URL
 * names the state and the declarations, so it may be cached as long as any asset. */
static int cc_handle_gcm(request_rec *r, cc_req_ctx *ctx)
{
    const cc_decl_t *d = ctx->conf->decl;
    const char *s = cc_query_arg(r, "s"), *out;
    char *end;
    unsigned long mask;

    if (r->method_number != M_GET) {
        ap_allow_methods(r, 1, "GET", "HEAD", NULL);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!d->gcm || !d->gcm->nelts || !s || !*s || strlen(s) > 8) {
        return HTTP_NOT_FOUND;
    }
    mask = strtoul(s, &end, 16);
    if (*end || (mask & ~(unsigned long)d->optional_mask)) {
        return HTTP_NOT_FOUND;
    }
    out = cc_gcm_script(r->pool, d, d->required_mask | (apr_uint32_t)mask);
    ap_set_content_type(r, "text/javascript; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=31536000, immutable");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    ap_set_content_length(r, (apr_off_t)strlen(out));
    if (!r->header_only) {
        ap_rputs(out, r);
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
    if (!strcmp(sub, "/receipt")) {
        return cc_records_receipt(r, ctx);
    }
    if (!strcmp(sub, "/records")) {
        return cc_records_export(r);
    }
    if (!strcmp(sub, "/discovered")) {
        return cc_discover_page(r);
    }
    if (!strcmp(sub, "/consent-mode.js")) {
        return cc_handle_gcm(r, ctx);
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

void cc_endpoint_register(void)
{
    ap_hook_translate_name(cc_translate_name, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(cc_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(cc_handler, NULL, NULL, APR_HOOK_FIRST);
}

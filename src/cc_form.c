/* cc_form.c - the consent form. */
#include "cc_form.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

static int cc_hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes [b, e) ('+' is a space). NULL on a bad escape or an encoded NUL. */
static const char *cc_url_decode(apr_pool_t *p, const char *b, const char *e)
{
    char *out = apr_palloc(p, e - b + 1), *w = out;
    int hi, lo;

    while (b < e) {
        if (*b == '+') {
            *w++ = ' ', b++;
        }
        else if (*b == '%') {
            if (e - b < 3 || (hi = cc_hexval(b[1])) < 0 || (lo = cc_hexval(b[2])) < 0
                || (hi == 0 && lo == 0)) {
                return NULL;
            }
            *w++ = (char)(hi * 16 + lo), b += 3;
        }
        else {
            *w++ = *b++;
        }
    }
    *w = '\0';
    return out;
}

const char *cc_form_parse(apr_pool_t *p, const char *body, apr_size_t len,
                          apr_array_header_t **fields)
{
    const char *b = body, *end = body + len, *e, *eq;
    cc_form_field_t *f;

    *fields = apr_array_make(p, 8, sizeof(cc_form_field_t));
    if (memchr(body, '\0', len)) {
        return "the form contains a NUL byte";
    }
    while (b < end) {
        e = memchr(b, '&', end - b);
        if (!e) {
            e = end;
        }
        if (e > b) {
            if ((*fields)->nelts >= CC_FORM_MAX_FIELDS) {
                return "too many form fields";
            }
            eq = memchr(b, '=', e - b);
            f = apr_array_push(*fields);
            f->name = cc_url_decode(p, b, eq ? eq : e);
            f->value = eq ? cc_url_decode(p, eq + 1, e) : "";
            if (!f->name || !f->value) {
                return "bad %-escape in the form";
            }
        }
        b = e + 1;
    }
    return NULL;
}

const char *cc_form_get(const apr_array_header_t *fields, const char *name)
{
    const cc_form_field_t *f = (const cc_form_field_t *)fields->elts;
    int i;

    for (i = 0; i < fields->nelts; i++) {
        if (!strcmp(f[i].name, name)) {
            return f[i].value;
        }
    }
    return NULL;
}

const char *cc_return_path(const char *ret)
{
    const unsigned char *s = (const unsigned char *)ret;

    /* "//host" and "/\host" are network-path references to browsers; anything without a leading
     * slash may be a scheme. Backslashes and controls are refused everywhere: browsers rewrite
     * them unpredictably. */
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(ret) > 2048) {
        return "/";
    }
    for (; *s; s++) {
        if (*s < 0x21 || *s == 0x7f || *s == '\\') {
            return "/";
        }
    }
    return ret;
}

/* Length of host without a default port (":80" for http, ":443" for https). */
static apr_size_t cc_host_len(const char *host, const char *scheme)
{
    apr_size_t len = strlen(host);
    const char *port = !strcasecmp(scheme, "https") ? ":443" : ":80";
    apr_size_t pl = strlen(port);

    if (len > pl && !strcmp(host + len - pl, port)) {
        return len - pl;
    }
    return len;
}

int cc_cross_site(const char *origin, const char *sec_fetch_site, const char *scheme,
                  const char *host)
{
    apr_size_t sl;

    if (sec_fetch_site && !strcasecmp(sec_fetch_site, "cross-site")) {
        return 1;
    }
    if (!origin) {
        return 0;
    }
    if (!host || !scheme) {
        return 1;
    }
    sl = strlen(scheme);
    /* Origin is scheme "://" host [":" port], serialised in lower case by browsers. */
    if (strncasecmp(origin, scheme, sl) || strncmp(origin + sl, "://", 3)) {
        return 1;
    }
    origin += sl + 3;
    sl = cc_host_len(origin, scheme);
    return sl != cc_host_len(host, scheme) || strncasecmp(origin, host, sl) != 0;
}

/* The accepted optional categories for action; -1 for an unknown action. "allow" (a held
 * element's placeholder) adds its categories to what the visitor accepted so far. */
apr_int64_t cc_form_choice(const cc_decl_t *d, const cc_decision_t *now,
                                  const apr_array_header_t *fields)
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
    if (!strcmp(action, "allow")) {
        mask = now->decided ? now->allowed & d->optional_mask : 0;
    }
    else if (strcmp(action, "save")) {
        return -1;
    }
    for (i = 0; i < fields->nelts; i++) {
        if (!strcmp(f[i].name, "category") && (idx = cc_decl_category_index(d, f[i].value)) >= 0) {
            mask |= 1u << idx;  /* unknown names are ignored; required bits are dropped later */
        }
    }
    return mask & d->optional_mask;
}

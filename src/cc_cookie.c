/* cc_cookie.c - Cookie and Set-Cookie header parsing. */
#include "cc_cookie.h"
#include "cc_glob.h"

#include <apr_lib.h>
#include <apr_strings.h>

#include <string.h>
#include <strings.h>

static int cc_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Copies [b, e) without surrounding spaces and tabs. */
static const char *cc_trimmed(apr_pool_t *p, const char *b, const char *e)
{
    while (b < e && cc_ows(*b)) {
        b++;
    }
    while (e > b && cc_ows(e[-1])) {
        e--;
    }
    return apr_pstrmemdup(p, b, e - b);
}

static void cc_cookie_add(apr_pool_t *p, const char *b, const char *e,
                          apr_array_header_t *cookies)
{
    const char *eq;
    cc_cookie_t *c;
    const char *pair = cc_trimmed(p, b, e);

    if (!*pair) {
        return;
    }
    c = apr_array_push(cookies);
    c->pair = pair;
    eq = strchr(pair, '=');
    if (!eq) {
        c->name = "";
        c->value = pair;
        return;
    }
    c->name = cc_trimmed(p, pair, eq);
    c->value = cc_trimmed(p, eq + 1, pair + strlen(pair));
}

/* 1 when the ',' at s starts another "name=" pair: httpd joins repeated Cookie request headers
 * with ", ", and a comma is not a cookie-octet. A comma inside a value (JSON, dates) is followed
 * by something else, so it stays in the value. */
static int cc_comma_splits(const char *s)
{
    const char *n;

    for (s++; cc_ows(*s); s++) {
    }
    for (n = s; cc_token_char((unsigned char)*n); n++) {
    }
    return n > s && *n == '=';
}

void cc_cookie_parse(apr_pool_t *p, const char *header, apr_array_header_t *cookies)
{
    const char *b = header;
    const char *e;

    if (!header) {
        return;
    }
    /* Browsers separate with "; " but also send ";" alone; a quoted value cannot contain ';'
     * (cookie-octet excludes it), so splitting on every ';' is what servers and browsers do. */
    for (e = b; *e; e++) {
        if (*e == ';' || (*e == ',' && cc_comma_splits(e))) {
            cc_cookie_add(p, b, e, cookies);
            b = e + 1;
        }
    }
    cc_cookie_add(p, b, e, cookies);
}

static int cc_has_ctl(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return 1;
        }
    }
    return 0;
}

static void cc_attr_add(apr_pool_t *p, const char *b, const char *e, apr_array_header_t *attrs)
{
    const char *eq = memchr(b, '=', e - b);
    cc_cookie_attr_t *a;
    const char *name = cc_trimmed(p, b, eq ? eq : e);

    if (!*name) {
        return;
    }
    a = apr_array_push(attrs);
    a->name = name;
    a->value = eq ? cc_trimmed(p, eq + 1, e) : "";
}

int cc_set_cookie_parse(apr_pool_t *p, const char *header, cc_set_cookie_t *out)
{
    const char *semi, *eq, *b, *e;

    if (!header || cc_has_ctl(header)) {
        return -1;
    }
    semi = strchr(header, ';');
    e = semi ? semi : header + strlen(header);
    eq = memchr(header, '=', e - header);
    if (eq) {
        out->name = cc_trimmed(p, header, eq);
        out->value = cc_trimmed(p, eq + 1, e);
    }
    else {
        out->name = "";
        out->value = cc_trimmed(p, header, e);
    }
    if (!*out->name && !*out->value) {
        return -1;
    }
    out->attrs = apr_array_make(p, 4, sizeof(cc_cookie_attr_t));
    while (semi) {
        b = semi + 1;
        semi = strchr(b, ';');
        cc_attr_add(p, b, semi ? semi : b + strlen(b), out->attrs);
    }
    return 0;
}

const char *cc_set_cookie_attr(const cc_set_cookie_t *sc, const char *name)
{
    const cc_cookie_attr_t *a = (const cc_cookie_attr_t *)sc->attrs->elts;
    int i;

    for (i = 0; i < sc->attrs->nelts; i++) {
        if (!strcasecmp(a[i].name, name)) {
            return a[i].value;
        }
    }
    return NULL;
}

/* Joins strings with sep; "" for an empty array. */
static const char *cc_join(apr_pool_t *p, const apr_array_header_t *parts, const char *sep)
{
    const char **s = (const char **)parts->elts;
    apr_size_t seplen = strlen(sep), len = 0;
    char *out, *w;
    int i;

    for (i = 0; i < parts->nelts; i++) {
        len += strlen(s[i]) + (i ? seplen : 0);
    }
    w = out = apr_palloc(p, len + 1);
    for (i = 0; i < parts->nelts; i++) {
        if (i) {
            memcpy(w, sep, seplen);
            w += seplen;
        }
        len = strlen(s[i]);
        memcpy(w, s[i], len);
        w += len;
    }
    *w = '\0';
    return out;
}

const char *cc_cookie_header_filter(apr_pool_t *p, const char *header, cc_cookie_keep_fn *keep,
                                    void *baton, int *dropped)
{
    apr_array_header_t *cookies = apr_array_make(p, 8, sizeof(cc_cookie_t));
    apr_array_header_t *kept = apr_array_make(p, 8, sizeof(const char *));
    const cc_cookie_t *c;
    int i;

    *dropped = 0;
    cc_cookie_parse(p, header, cookies);
    c = (const cc_cookie_t *)cookies->elts;
    for (i = 0; i < cookies->nelts; i++) {
        if (keep(baton, &c[i])) {
            APR_ARRAY_PUSH(kept, const char *) = c[i].pair;
        }
        else {
            (*dropped)++;
        }
    }
    if (!*dropped) {
        return header;
    }
    return cc_join(p, kept, "; ");
}

const char *cc_cookie_expiry(apr_pool_t *p, const char *name, const char *domain,
                             const char *path, int secure)
{
    /* Max-Age wins over Expires in current browsers; the past Expires covers old ones. */
    return apr_pstrcat(p, name, "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=",
                       path ? path : "/", domain ? "; Domain=" : "", domain ? domain : "",
                       secure ? "; Secure" : "", NULL);
}

int cc_cookie_needs_secure(const char *name)
{
    return name && (!strncasecmp(name, "__Secure-", 9) || !strncasecmp(name, "__Host-", 7));
}

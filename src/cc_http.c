/* cc_http.c - small HTTP facts the glue needs (see cc_http.h). */
#include "cc_http.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

int cc_http_media_type_is(const char *type, const char *want)
{
    apr_size_t n = strlen(want);

    return type && !strncasecmp(type, want, n) && (type[n] == '\0' || type[n] == ';'
                                                   || type[n] == ' ' || type[n] == '\t');
}

int cc_http_charset_ascii(const char *type)
{
    static const char *const wide[] = {"utf-16", "utf-32", "ucs-2", "ucs-4", NULL};
    const char *cs;
    int i;

    for (cs = type; cs && (cs = strchr(cs, ';')); ) {
        for (cs++; *cs == ' ' || *cs == '\t'; cs++) {
        }
        if (!strncasecmp(cs, "charset=", 8)) {
            cs += 8;
            if (*cs == '"') {
                cs++;
            }
            for (i = 0; wide[i]; i++) {
                if (!strncasecmp(cs, wide[i], strlen(wide[i]))) {
                    return 0;
                }
            }
            return 1;
        }
    }
    return 1;
}

const char *cc_http_state_etag(apr_pool_t *p, const char *etag, const char *state)
{
    apr_size_t n, sl = strlen(state);
    char *out, *o;

    if (!strncmp(etag, "W/", 2)) {
        etag += 2;
    }
    n = strlen(etag);
    if (n >= 2 && etag[0] == '"' && etag[n - 1] == '"') {
        etag++;
        n -= 2;
    }
    /* W/"<etag>-cc<state>": one allocation (every injected page) */
    o = out = apr_palloc(p, n + sl + 8);    /* W/" + etag + -cc + state + " + NUL */
    memcpy(o, "W/\"", 3);
    o += 3;
    memcpy(o, etag, n);
    o += n;
    memcpy(o, "-cc", 3);
    o += 3;
    memcpy(o, state, sl);
    o += sl;
    o[0] = '"';
    o[1] = '\0';
    return out;
}

const char *cc_http_rewrite_inm(apr_pool_t *p, const char *inm, const char *state, int *hit)
{
    const char *out = "", *tok, *cc;
    char *copy = apr_pstrdup(p, inm), *last, *end;
    apr_size_t sl = strlen(state);

    for (tok = apr_strtok(copy, ",", &last); tok; tok = apr_strtok(NULL, ",", &last)) {
        while (*tok == ' ' || *tok == '\t') {
            tok++;
        }
        for (end = (char *)tok + strlen(tok); end > tok && (end[-1] == ' ' || end[-1] == '\t');
             end--) {
        }
        *end = '\0';
        if (!strcmp(tok, "*")) {
            *hit = 1;
            out = apr_pstrcat(p, out, *out ? ", " : "", tok, NULL);
            continue;
        }
        cc = strstr(tok, "-cc");
        if (!cc || strlen(cc) != 3 + sl + 1 || cc[3 + sl] != '"' || strncmp(cc + 3, state, sl)) {
            continue;
        }
        *hit = 1;
        out = apr_pstrcat(p, out, *out ? ", " : "", apr_pstrmemdup(p, tok, (apr_size_t)(cc - tok)),
                          "\"", NULL);
    }
    return out;
}

const char *cc_http_under(const char *path, const char *prefix)
{
    apr_size_t n = strlen(prefix);

    if (!path || strncmp(path, prefix, n) || (path[n] != '/' && path[n] != '\0')) {
        return NULL;
    }
    return path + n;
}

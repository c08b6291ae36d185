/* cc_text.c - small text checks and encoders. */
#include "cc_text.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#define CC_DAY (24 * 3600)

const char *cc_duration_parse(const char *text, apr_int64_t *seconds)
{
    apr_int64_t n = 0;
    const char *s = text;

    if (!text || !*text) {
        return "empty duration (use session, Nd, Nmo or Ny)";
    }
    if (!strcmp(text, "session")) {
        *seconds = 0;
        return NULL;
    }
    if (*s < '0' || *s > '9') {
        return "a duration is session or a number followed by d, mo or y (e.g. 180d, 13mo, 1y)";
    }
    while (*s >= '0' && *s <= '9') {
        n = n * 10 + (*s++ - '0');
        if (n > 100000) {
            return "duration too large";
        }
    }
    if (n == 0) {
        return "a duration must be greater than zero (or session)";
    }
    if (!strcmp(s, "d")) {
        *seconds = n * CC_DAY;
    }
    else if (!strcmp(s, "mo")) {
        *seconds = n * 30 * CC_DAY;
    }
    else if (!strcmp(s, "y")) {
        *seconds = n * 365 * CC_DAY;
    }
    else {
        return "unknown unit: use d (days), mo (months of 30 days) or y (years)";
    }
    return NULL;
}

/* Length of the UTF-8 sequence at s (1-4), or 0 when it is malformed. */
static apr_size_t cc_utf8_seq(const unsigned char *s, apr_size_t avail)
{
    apr_size_t len, i;
    unsigned long cp;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2, cp = s[0] & 0x1f;
    }
    else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3, cp = s[0] & 0x0f;
    }
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4, cp = s[0] & 0x07;
    }
    else {
        return 0;
    }
    if (avail < len) {
        return 0;
    }
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
        || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

int cc_utf8_valid(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, n;

    while (i < len) {
        n = cc_utf8_seq(u + i, len - i);
        if (!n) {
            return 0;
        }
        i += n;
    }
    return 1;
}

static int cc_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int cc_alnum(char c)
{
    return cc_alpha(c) || (c >= '0' && c <= '9');
}

int cc_lang_tag_valid(const char *tag)
{
    const char *s = tag;
    int n = 0;

    while (cc_alpha(*s)) {
        s++, n++;
    }
    if (n < 2 || n > 3) {
        return 0;
    }
    while (*s == '-') {
        s++;
        for (n = 0; cc_alnum(*s); n++) {
            s++;
        }
        if (n < 1 || n > 8) {
            return 0;
        }
    }
    return *s == '\0';
}

int cc_category_name_valid(const char *name)
{
    const char *s = name;

    if (!(*s >= 'a' && *s <= 'z')) {
        return 0;
    }
    for (s++; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-')) {
            return 0;
        }
    }
    return s - name <= 32;
}

const char *cc_json_string(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t len;
    char *out, *w;

    if (!s) {
        return "null";
    }
    len = strlen(s);
    w = out = apr_palloc(p, len * 6 + 3);
    *w++ = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            *w++ = '\\', *w++ = (char)c;
        }
        else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
            /* <, > and & escaped too, so the JSON can sit inside an HTML page safely. */
            *w++ = '\\', *w++ = 'u', *w++ = '0', *w++ = '0';
            *w++ = hex[c >> 4], *w++ = hex[c & 15];
        }
        else {
            *w++ = (char)c;
        }
    }
    *w++ = '"';
    *w = '\0';
    return out;
}

/* The nonce among the sources of one directive ([b, e) holds "name src src ..."). */
static const char *cc_csp_directive_nonce(apr_pool_t *p, const char *b, const char *e)
{
    const char *n, *q;

    for (n = b; (n = strstr(n, "'nonce-")) != NULL && n < e; n = q) {
        n += 7;
        for (q = n; q < e && *q != '\'' && *q != ' '; q++) {
        }
        if (q < e && *q == '\'' && q > n) {
            return apr_pstrmemdup(p, n, q - n);
        }
    }
    return NULL;
}

const char *cc_csp_nonce(apr_pool_t *p, const char *csp, const char *directive)
{
    const char *b, *e, *fallback = NULL, *found;
    apr_size_t dl = strlen(directive);

    for (b = csp; b && *b; b = *e ? e + 1 : e) {
        while (*b == ' ' || *b == '\t') {
            b++;
        }
        e = strchr(b, ';');
        if (!e) {
            e = b + strlen(b);
        }
        if (!strncasecmp(b, directive, dl) && (b[dl] == ' ' || b + dl == e)) {
            return cc_csp_directive_nonce(p, b + dl, e);
        }
        if (!fallback && !strncasecmp(b, "default-src", 11) && (b[11] == ' ' || b + 11 == e)) {
            found = cc_csp_directive_nonce(p, b + 11, e);
            fallback = found ? found : "";
        }
    }
    return fallback && *fallback ? fallback : NULL;
}

unsigned int cc_text_hash(const char *key, apr_ssize_t *klen)
{
    apr_uint64_t h = 0x9e3779b97f4a7c15ULL, w;
    apr_size_t n, i;

    if (*klen == APR_HASH_KEY_STRING) {
        *klen = (apr_ssize_t)strlen(key);
    }
    n = (apr_size_t)*klen;
    for (i = 0; i + 8 <= n; i += 8) {
        memcpy(&w, key + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, key + i, n - i);
    h = (h ^ w ^ n) * 0x100000001b3ULL;
    return (unsigned int)(h ^ (h >> 32));
}

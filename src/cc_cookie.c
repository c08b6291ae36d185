/* cc_cookie.c - Cookie and Set-Cookie header parsing. */
#include "cc_cookie.h"
#include "cc_glob.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>

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

/* Adds the pair [b, e) of a Cookie header: its trimmed text goes to *pairs, its name to *names
 * (both regions of the one buffer cc_cookie_parse allocates), the value points into the pair. */
static void cc_cookie_add(const char *b, const char *e, char **pairs, char **names,
                          apr_array_header_t *cookies)
{
    const char *eq, *ne;
    cc_cookie_t *c;
    char *pair = *pairs, *name = *names, *v;

    while (b < e && cc_ows(*b)) {
        b++;
    }
    while (e > b && cc_ows(e[-1])) {
        e--;
    }
    if (b == e) {
        return;
    }
    memcpy(pair, b, e - b);
    pair[e - b] = '\0';
    *pairs = pair + (e - b) + 1;
    c = apr_array_push(cookies);
    c->pair = pair;
    eq = memchr(b, '=', e - b);
    if (!eq) {
        c->name = "";
        c->value = pair;
        return;
    }
    for (ne = eq; ne > b && cc_ows(ne[-1]); ne--) {
    }
    memcpy(name, b, ne - b);
    name[ne - b] = '\0';
    *names = name + (ne - b) + 1;
    c->name = name;
    for (v = pair + (eq - b) + 1; cc_ows(*v); v++) {
    }
    c->value = v;
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
    apr_size_t len;
    char *pairs, *names;

    if (!header) {
        return;
    }
    /* One allocation for the whole header: the pairs' texts take at most len + 1 bytes with
     * their NULs, and so do the names. */
    len = strlen(header);
    pairs = apr_palloc(p, 2 * len + 2);
    names = pairs + len + 1;
    /* Browsers separate with "; " but also send ";" alone; a quoted value cannot contain ';'
     * (cookie-octet excludes it), so splitting on every ';' is what servers and browsers do. */
    for (e = b + strcspn(b, ";,"); *e; e += 1 + strcspn(e + 1, ";,")) {
        if (*e == ';' || cc_comma_splits(e)) {
            cc_cookie_add(b, e, &pairs, &names, cookies);
            b = e + 1;
        }
    }
    cc_cookie_add(b, e, &pairs, &names, cookies);
}

/* 1 for the control characters a header value cannot hold: all but HTAB, and DEL. */
static const unsigned char cc_ctl_table[256] = {
    [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
    [0x08] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
    [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1,
    [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
    [0x1e] = 1, [0x1f] = 1, [0x7f] = 1,
};

static int cc_has_ctl(const char *s)
{
    const apr_uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    apr_size_t n = strlen(s), i = 0;
    apr_uint64_t w, d;

    /* Eight bytes at a time: is any below 0x20, or DEL? (exact "any" tests; HTAB also stops
     * here, and the bytes from that word on are looked at one by one) */
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        d = w ^ (0x7f * ones);
        if (((w - 0x20 * ones) & ~w & high) | ((d - ones) & ~d & high)) {
            break;
        }
    }
    for (; i < n; i++) {
        if (cc_ctl_table[(unsigned char)s[i]]) {
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

int cc_set_cookie_name(apr_pool_t *p, const char *header, const char **name)
{
    const char *e, *eq, *b, *v;

    if (!header || cc_has_ctl(header)) {
        return -1;
    }
    e = strchr(header, ';');
    if (!e) {
        e = header + strlen(header);
    }
    eq = memchr(header, '=', e - header);
    if (!eq) {
        *name = "";
        eq = header - 1;                    /* the whole pair is the value */
    }
    else {
        for (b = header; b < eq && cc_ows(*b); b++) {
        }
        for (v = eq; v > b && cc_ows(v[-1]); v--) {
        }
        *name = apr_pstrmemdup(p, b, v - b);
    }
    if (!**name) {
        /* Refused like cc_set_cookie_parse: no name and no value either. */
        for (v = eq + 1; v < e && cc_ows(*v); v++) {
        }
        if (v == e) {
            return -1;
        }
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

const char *cc_cookie_join(apr_pool_t *p, const apr_array_header_t *cookies, int from, int to,
                           cc_cookie_keep_fn *keep, void *baton, int *dropped)
{
    const cc_cookie_t *c = (const cc_cookie_t *)cookies->elts;
    unsigned char stack[32], *kept = stack;
    apr_size_t len = 0, n;
    char *out, *w;
    int i;

    *dropped = 0;
    if (to - from > (int)sizeof(stack)) {
        kept = apr_palloc(p, (apr_size_t)(to - from));
    }
    for (i = from; i < to; i++) {
        kept[i - from] = keep(baton, &c[i]) ? 1 : 0;
        if (kept[i - from]) {
            len += strlen(c[i].pair) + 2;
        }
        else {
            (*dropped)++;
        }
    }
    if (!*dropped) {
        return NULL;
    }
    w = out = apr_palloc(p, len + 1);
    for (i = from; i < to; i++) {
        if (!kept[i - from]) {
            continue;
        }
        if (w > out) {
            *w++ = ';';
            *w++ = ' ';
        }
        n = strlen(c[i].pair);
        memcpy(w, c[i].pair, n);
        w += n;
    }
    *w = '\0';
    return out;
}

const char *cc_cookie_header_filter(apr_pool_t *p, const char *header, cc_cookie_keep_fn *keep,
                                    void *baton, int *dropped)
{
    apr_array_header_t *cookies = apr_array_make(p, 8, sizeof(cc_cookie_t));
    const char *kept;

    cc_cookie_parse(p, header, cookies);
    kept = cc_cookie_join(p, cookies, 0, cookies->nelts, keep, baton, dropped);
    return kept ? kept : header;
}

const char *cc_cookie_expiry(apr_pool_t *p, const char *name, const char *domain,
                             const char *path, int secure)
{
    /* Max-Age wins over Expires in current browsers; the past Expires covers old ones. */
    static const char mid[] = "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=";
    static const char dom[] = "; Domain=", sec[] = "; Secure";
    apr_size_t nl = strlen(name), pl, dl = domain ? strlen(domain) : 0;
    char *out, *o;

    path = path ? path : "/";
    pl = strlen(path);
    /* one allocation, no formatter: a refused cookie gets this on every response */
    o = out = apr_palloc(p, nl + sizeof(mid) - 1 + pl + (domain ? sizeof(dom) - 1 + dl : 0)
                            + (secure ? sizeof(sec) - 1 : 0) + 1);
    memcpy(o, name, nl);
    o += nl;
    memcpy(o, mid, sizeof(mid) - 1);
    o += sizeof(mid) - 1;
    memcpy(o, path, pl);
    o += pl;
    if (domain) {
        memcpy(o, dom, sizeof(dom) - 1);
        o += sizeof(dom) - 1;
        memcpy(o, domain, dl);
        o += dl;
    }
    if (secure) {
        memcpy(o, sec, sizeof(sec) - 1);
        o += sizeof(sec) - 1;
    }
    *o = '\0';
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Cookie dates and retention                                                                   */

static int cc_date_delim(unsigned char c)
{
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40)
           || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/* 1*max DIGIT at s, then a non-digit or the end; the count of digits or 0. */
static int cc_date_digits(const char *s, apr_size_t len, int min, int max, int *out)
{
    int n = 0, v = 0;

    while ((apr_size_t)n < len && apr_isdigit(s[n]) && n < max) {
        v = v * 10 + (s[n] - '0');
        n++;
    }
    if (n < min || ((apr_size_t)n < len && apr_isdigit(s[n]))) {
        return 0;
    }
    *out = v;
    return n;
}

static int cc_date_time(const char *s, apr_size_t len, int *h, int *m, int *sec)
{
    int n, k;

    if (!(n = cc_date_digits(s, len, 1, 2, h)) || (apr_size_t)n >= len || s[n] != ':') {
        return 0;
    }
    k = n + 1;
    if (!(n = cc_date_digits(s + k, len - k, 1, 2, m)) || (apr_size_t)(k + n) >= len
        || s[k + n] != ':') {
        return 0;
    }
    k += n + 1;
    return cc_date_digits(s + k, len - k, 1, 2, sec) != 0;
}

static int cc_date_month(const char *s, apr_size_t len)
{
    static const char *const months = "janfebmaraprmayjunjulaugsepoctnovdec";
    int i;

    if (len < 3) {
        return -1;
    }
    for (i = 0; i < 12; i++) {
        if (!strncasecmp(s, months + 3 * i, 3)) {
            return i;
        }
    }
    return -1;
}

static apr_int64_t cc_days_from_civil(int y, int m, int d)
{
    /* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12). */
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int cc_cookie_date_parse(const char *s, apr_int64_t *t)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int found_time = 0, found_dom = 0, found_month = 0, found_year = 0;
    int h = 0, mi = 0, sec = 0, dom = 0, month = 0, year = 0, v;
    const char *b;
    apr_size_t len;

    while (s && *s) {
        while (*s && cc_date_delim((unsigned char)*s)) {
            s++;
        }
        for (b = s; *s && !cc_date_delim((unsigned char)*s); s++) {
        }
        if (!(len = (apr_size_t)(s - b))) {
            break;
        }
        if (!found_time && cc_date_time(b, len, &h, &mi, &sec)) {
            found_time = 1;
        }
        else if (!found_dom && cc_date_digits(b, len, 1, 2, &v)) {
            found_dom = 1;
            dom = v;
        }
        else if (!found_month && (v = cc_date_month(b, len)) >= 0) {
            found_month = 1;
            month = v;
        }
        else if (!found_year && cc_date_digits(b, len, 2, 4, &v)) {
            found_year = 1;
            year = v;
        }
    }
    if (!found_time || !found_dom || !found_month || !found_year) {
        return -1;
    }
    if (year >= 70 && year <= 99) {
        year += 1900;
    }
    else if (year >= 0 && year <= 69) {
        year += 2000;
    }
    if (dom < 1 || dom > mdays[month] || year < 1601 || h > 23 || mi > 59 || sec > 59) {
        return -1;
    }
    if (month == 1 && dom == 29 && !((year % 4 == 0 && year % 100) || year % 400 == 0)) {
        return -1;
    }
    *t = ((cc_days_from_civil(year, month + 1, dom) * 24 + h) * 60 + mi) * 60 + sec;
    return 0;
}

/* Max-Age as a browser reads it (RFC 6265 5.2.2): -1 with *ignored when it is not a number;
 * huge values saturate. */
static apr_int64_t cc_max_age(const char *b, const char *e, int *ignored)
{
    apr_int64_t v = 0;
    int neg = 0;

    *ignored = 0;
    if (b < e && *b == '-') {
        neg = 1;
        b++;
    }
    if (b >= e) {
        *ignored = 1;
        return -1;
    }
    for (; b < e; b++) {
        if (!apr_isdigit(*b)) {
            *ignored = 1;
            return -1;
        }
        if (v < APR_INT64_C(1000000000000)) {
            v = v * 10 + (*b - '0');
        }
    }
    return neg ? -v : v;
}

/* 1 when some attribute after seg may be Max-Age or Expires (its trimmed name starts so). */
static int cc_may_have_lifetime(const char *seg)
{
    const char *a;

    for (; seg; seg = strchr(seg + 1, ';')) {
        for (a = seg + 1; cc_ows(*a); a++) {
        }
        if (!strncasecmp(a, "max-age", 7) || !strncasecmp(a, "expires", 7)) {
            return 1;
        }
    }
    return 0;
}

const char *cc_set_cookie_clamp(apr_pool_t *p, const char *header, apr_int64_t retention,
                                apr_int64_t now)
{
    const char *seg = strchr(header, ';'), *next, *name, *ne, *eq, *vb, *ve;
    struct iovec *parts;
    int n = 0, changed = 0, ignored, segs = 1;
    apr_int64_t when;
    char *date;

    if (!seg || retention < 0 || !cc_may_have_lifetime(seg)) {
        return header;                      /* a session cookie is within any retention */
    }
    for (next = seg; next; next = strchr(next + 1, ';')) {
        segs++;
    }
    parts = apr_palloc(p, sizeof(*parts) * (apr_size_t)(3 * segs));  /* prefix, value, rest */
    parts[n].iov_base = (void *)header;
    parts[n++].iov_len = (apr_size_t)(seg - header);
    for (; seg; seg = next) {
        next = strchr(seg + 1, ';');
        ve = next ? next : seg + strlen(seg);
        for (name = seg + 1; name < ve && cc_ows(*name); name++) {
        }
        eq = name < ve ? memchr(name, '=', (apr_size_t)(ve - name)) : NULL;
        for (ne = eq ? eq : ve; ne > name && cc_ows(ne[-1]); ne--) {
        }
        for (vb = eq ? eq + 1 : ve; vb < ve && cc_ows(*vb); vb++) {
        }
        for (; ve > vb && cc_ows(ve[-1]); ve--) {
        }
        if (eq && ne - name == 7 && !strncasecmp(name, "max-age", 7)) {
            when = cc_max_age(vb, ve, &ignored);
            if (!ignored && when > 0 && when > retention) {
                changed = 1;
                if (retention) {
                    parts[n].iov_base = (void *)seg;
                    parts[n++].iov_len = (apr_size_t)(vb - seg);
                    parts[n].iov_base = apr_psprintf(p, "%" APR_INT64_T_FMT, retention);
                    parts[n].iov_len = strlen(parts[n].iov_base);
                    n++;
                    seg = ve;
                }
                else {
                    continue;       /* session: the attribute goes */
                }
            }
        }
        else if (eq && ne - name == 7 && !strncasecmp(name, "expires", 7)) {
            char *v = apr_pstrmemdup(p, vb, (apr_size_t)(ve - vb));
            if (!cc_cookie_date_parse(v, &when) && when > now && when > now + retention) {
                changed = 1;
                if (retention) {
                    date = apr_palloc(p, APR_RFC822_DATE_LEN);
                    apr_rfc822_date(date, apr_time_from_sec(now + retention));
                    parts[n].iov_base = (void *)seg;
                    parts[n++].iov_len = (apr_size_t)(vb - seg);
                    parts[n].iov_base = date;
                    parts[n++].iov_len = strlen(date);
                    seg = ve;
                }
                else {
                    continue;
                }
            }
        }
        parts[n].iov_base = (void *)seg;
        parts[n++].iov_len = (apr_size_t)((next ? next : seg + strlen(seg)) - seg);
    }
    if (!changed) {
        return header;
    }
    return apr_pstrcatv(p, parts, (apr_size_t)n, NULL);
}

int cc_cookie_needs_secure(const char *name)
{
    return name && (!strncasecmp(name, "__Secure-", 9) || !strncasecmp(name, "__Host-", 7));
}

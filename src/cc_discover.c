/* cc_discover.c - the discovery report: name grouping, the shared table, the report (see
 * cc_discover.h). */
#include "cc_discover.h"
#include "cc_cookie.h"
#include "cc_html.h"
#include "cc_text.h"

#include <apr_atomic.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Atomics on shared memory: the compiler's (lock-free on every target httpd runs on) or APR's. */

#if defined(__GNUC__)
static apr_uint32_t a_load32(apr_uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static void a_store32(apr_uint32_t *p, apr_uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static int a_cas32(apr_uint32_t *p, apr_uint32_t expect, apr_uint32_t v)
{
    return __atomic_compare_exchange_n(p, &expect, v, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
static void a_or32(apr_uint32_t *p, apr_uint32_t v)
{
    __atomic_fetch_or(p, v, __ATOMIC_RELAXED);
}
static apr_uint64_t a_load64(apr_uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static void a_store64(apr_uint64_t *p, apr_uint64_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}
static void a_add64(apr_uint64_t *p, apr_uint64_t v)
{
    __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}
static int a_cas64(apr_uint64_t *p, apr_uint64_t expect, apr_uint64_t v)
{
    return __atomic_compare_exchange_n(p, &expect, v, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}
#else
static apr_uint32_t a_load32(apr_uint32_t *p)
{
    return apr_atomic_read32(p);
}
static void a_store32(apr_uint32_t *p, apr_uint32_t v)
{
    apr_atomic_set32(p, v);
}
static int a_cas32(apr_uint32_t *p, apr_uint32_t expect, apr_uint32_t v)
{
    return apr_atomic_cas32(p, v, expect) == expect;
}
static void a_or32(apr_uint32_t *p, apr_uint32_t v)
{
    apr_uint32_t old;
    do {
        old = apr_atomic_read32(p);
    } while ((old & v) != v && apr_atomic_cas32(p, old | v, old) != old);
}
static apr_uint64_t a_load64(apr_uint64_t *p)
{
    return apr_atomic_read64(p);
}
static void a_store64(apr_uint64_t *p, apr_uint64_t v)
{
    apr_atomic_set64(p, v);
}
static void a_add64(apr_uint64_t *p, apr_uint64_t v)
{
    apr_atomic_add64(p, v);
}
static int a_cas64(apr_uint64_t *p, apr_uint64_t expect, apr_uint64_t v)
{
    return apr_atomic_cas64(p, v, expect) == expect;
}
#endif

/* ------------------------------------------------------------------------------------------ */
/* Grouping                                                                                     */

static int d_sep(char c)
{
    return c == '.' || c == '_' || c == '-';
}

/* A segment that looks like an id: digits; letters and digits mixed (4 bytes or more); hex of 8
 * bytes or more; 16 alphanumeric bytes or more with a digit or both cases. */
static int d_id_like(const char *s, apr_size_t n)
{
    apr_size_t i, digits = 0, hex = 0, upper = 0, lower = 0;

    if (!n) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!apr_isalnum(c)) {
            return 0;
        }
        digits += apr_isdigit(c) != 0;
        hex += apr_isxdigit(c) != 0;
        upper += apr_isupper(c) != 0;
        lower += apr_islower(c) != 0;
    }
    if (digits == n) {
        return 1;
    }
    if (digits && n >= 4) {
        return 1;
    }
    if (hex == n && n >= 8) {
        return 1;
    }
    return n >= 16 && (digits || (upper && lower));
}

apr_size_t cc_discover_group(const char *name, char *out, apr_size_t size)
{
    apr_size_t len, pos, cut, i, alnum = 0;

    if (!name || !*name || !size) {
        return 0;
    }
    len = strlen(name);
    cut = len;
    if (!strpbrk(name, "*?")) {
        pos = len;
        for (;;) {
            apr_size_t j = pos;
            while (j > 0 && !d_sep(name[j - 1])) {
                j--;
            }
            if (j == 0) {
                break;
            }
            if (!d_id_like(name + j, pos - j)) {
                /* a short hex hash after a numeric id ("_pk_ses.12.abcd") */
                apr_size_t k = j - 1, h;
                for (h = j; h < pos && apr_isxdigit((unsigned char)name[h]); h++) {
                }
                while (k > 0 && !d_sep(name[k - 1])) {
                    k--;
                }
                if (h != pos || pos - j < 4 || k == 0 || !d_id_like(name + k, j - 1 - k)) {
                    break;
                }
                j = k;
            }
            cut = j;            /* name[0, j) ends with the separator */
            pos = j - 1;
        }
        for (i = 0; i < cut && cut < len; i++) {
            alnum += apr_isalnum((unsigned char)name[i]) != 0;
        }
        if (cut < len && alnum < 2) {
            cut = len;          /* "_123": "_*" would say nothing */
        }
    }
    if (cut == len) {
        if (len + 1 > size) {
            return 0;
        }
        memcpy(out, name, len + 1);
        return len;
    }
    if (cut + 2 > size) {
        return 0;
    }
    memcpy(out, name, cut);
    out[cut] = '*';
    out[cut + 1] = '\0';
    return cut + 1;
}

/* ------------------------------------------------------------------------------------------ */
/* The table                                                                                    */

void cc_disc_init(cc_disc_table_t *t)
{
    memset(t, 0, sizeof(*t));
    t->magic = CC_DISC_MAGIC;
    t->version = CC_DISC_VERSION;
}

int cc_disc_valid(const cc_disc_table_t *t)
{
    return t && t->magic == CC_DISC_MAGIC && t->version == CC_DISC_VERSION;
}

static apr_uint32_t d_hash(const char *s)
{
    apr_uint32_t h = 2166136261u;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h ? h : 1;
}

/* s into dst (max bytes + NUL): cut with "..." when longer. */
static void d_copy_cut(char *dst, const char *s, apr_size_t max)
{
    apr_size_t n = s ? strlen(s) : 0;

    if (n <= max) {
        memcpy(dst, s ? s : "", n);
        dst[n] = '\0';
        return;
    }
    memcpy(dst, s, max - 3);
    memcpy(dst + max - 3, "...", 4);
}

/* The path of uri (before '?' or '#': a query string may hold personal data) into dst. */
static void d_copy_path(char *dst, const char *uri, apr_size_t max)
{
    apr_size_t n = uri ? strcspn(uri, "?#") : 0;

    if (n > max) {
        memcpy(dst, uri, max - 3);
        memcpy(dst + max - 3, "...", 4);
        return;
    }
    memcpy(dst, uri ? uri : "", n);
    dst[n] = '\0';
}

/* s into dst when it fits (max bytes + NUL), else 0. */
static int d_copy_fit(char *dst, const char *s, apr_size_t max)
{
    apr_size_t n = strlen(s);

    if (n > max) {
        return 0;
    }
    memcpy(dst, s, n + 1);
    return 1;
}

void cc_disc_seen_set_cookie(const cc_set_cookie_t *sc, apr_int64_t now, cc_disc_seen_t *out)
{
    const char *ma = cc_set_cookie_attr(sc, "Max-Age"), *ex = cc_set_cookie_attr(sc, "Expires");
    const char *ss = cc_set_cookie_attr(sc, "SameSite");
    apr_int64_t t;
    int have = 0;

    memset(out, 0, sizeof(*out));
    out->flags = CC_DISC_F_SET_COOKIE;
    if (cc_set_cookie_attr(sc, "Secure")) {
        out->flags |= CC_DISC_F_SECURE;
    }
    if (cc_set_cookie_attr(sc, "HttpOnly")) {
        out->flags |= CC_DISC_F_HTTPONLY;
    }
    if (ss) {
        out->flags |= !strcasecmp(ss, "Strict") ? CC_DISC_F_SS_STRICT
                      : !strcasecmp(ss, "None") ? CC_DISC_F_SS_NONE
                      : !strcasecmp(ss, "Lax") ? CC_DISC_F_SS_LAX : 0;
    }
    /* Max-Age wins over Expires (RFC 6265bis 5.6.2); an unreadable one is ignored by browsers. */
    if (ma && (*ma == '-' || apr_isdigit(*ma))) {
        char *end;
        apr_int64_t v = apr_strtoi64(ma, &end, 10);
        if (!*end) {
            have = 1;
            if (v <= 0) {
                out->flags |= CC_DISC_F_DELETION;
            }
            else {
                out->flags |= CC_DISC_F_PERSISTENT;
                out->lifetime = v;
            }
        }
    }
    if (!have && ex && !cc_cookie_date_parse(ex, &t)) {
        have = 1;
        if (t <= now) {
            out->flags |= CC_DISC_F_DELETION;
        }
        else {
            out->flags |= CC_DISC_F_PERSISTENT;
            out->lifetime = t - now;
        }
    }
    if (!have) {
        out->flags |= CC_DISC_F_SESSION;
    }
    out->domain = cc_set_cookie_attr(sc, "Domain");
    out->path = cc_set_cookie_attr(sc, "Path");
    if (out->domain && *out->domain == '.') {
        out->domain++;          /* browsers ignore the leading dot */
    }
}

/* Writes the Domain and Path seen once; flags a later Set-Cookie that says otherwise. */
static void d_attrs(cc_disc_name_t *e, const cc_disc_seen_t *seen)
{
    const char *dom = seen->domain ? seen->domain : "", *path = seen->path ? seen->path : "";
    apr_uint32_t st = a_load32(&e->attr_state);

    if (!(seen->flags & CC_DISC_F_SET_COOKIE) || (seen->flags & CC_DISC_F_DELETION)) {
        return;
    }
    if (st == 0 && a_cas32(&e->attr_state, 0, 1)) {
        if (!d_copy_fit(e->domain, dom, CC_DISC_DOMAIN_MAX)) {
            e->domain[0] = '\0';
        }
        if (!d_copy_fit(e->path, path, CC_DISC_PATH_MAX)) {
            e->path[0] = '\0';
        }
        a_store32(&e->attr_state, 2);
        return;
    }
    if (st == 2 && !(a_load32(&e->flags) & CC_DISC_F_DOMAINS)
        && (strcasecmp(e->domain, dom) || strcmp(e->path, path))) {
        a_or32(&e->flags, CC_DISC_F_DOMAINS);
    }
}

static void d_update(cc_disc_name_t *e, const cc_disc_seen_t *seen, apr_int64_t now)
{
    apr_uint32_t f = seen->flags & ~(apr_uint32_t)CC_DISC_F_DELETION;
    apr_uint64_t old;

    a_add64(&e->count, 1);
    if (a_load64(&e->last) != (apr_uint64_t)now) {
        a_store64(&e->last, (apr_uint64_t)now);
    }
    if (f && (a_load32(&e->flags) & f) != f) {
        a_or32(&e->flags, f);
    }
    if ((seen->flags & CC_DISC_F_PERSISTENT) && seen->lifetime > 0) {
        while ((old = a_load64(&e->max_age)) < (apr_uint64_t)seen->lifetime
               && !a_cas64(&e->max_age, old, (apr_uint64_t)seen->lifetime)) {
        }
    }
    d_attrs(e, seen);
}

int cc_disc_cookie(cc_disc_table_t *t, const char *name, const cc_disc_seen_t *seen,
                   apr_int64_t now, const char *uri)
{
    char glob[CC_DISC_NAME_MAX + 1];
    apr_uint32_t h, k;
    apr_size_t i;

    if (!cc_disc_valid(t) || !cc_discover_group(name, glob, sizeof(glob))) {
        if (cc_disc_valid(t)) {
            a_add64(&t->dropped_names, 1);
        }
        return 0;
    }
    h = d_hash(glob);
    for (i = 0; i < CC_DISC_NAMES; i++) {
        cc_disc_name_t *e = &t->names[(h + i) % CC_DISC_NAMES];
        k = a_load32(&e->key);
        if (k == 0 && a_cas32(&e->key, 0, h)) {
            /* Ours: write, then publish. */
            memcpy(e->glob, glob, strlen(glob) + 1);
            if (!d_copy_fit(e->example, name, CC_DISC_NAME_MAX)) {
                memcpy(e->example, glob, strlen(glob) + 1);
            }
            d_copy_path(e->uri, uri, CC_DISC_URI_MAX);
            e->first = e->last = (apr_uint64_t)now;
            a_store32(&e->ready, 1);
            d_update(e, seen, now);
            return 2;
        }
        if (k == 0) {
            k = a_load32(&e->key);      /* another process claimed it just now */
        }
        if (k != h) {
            continue;
        }
        if (!a_load32(&e->ready)) {
            return 0;                   /* being written: this one event is not counted */
        }
        if (!strcmp(e->glob, glob)) {
            d_update(e, seen, now);
            return 1;
        }
    }
    a_add64(&t->dropped_names, 1);
    return 0;
}

int cc_disc_third_party(const char *url, const char *own_host, char *host, apr_size_t size)
{
    const char *s = url, *e;
    apr_size_t n, on, i;

    if (!url || !own_host || !size) {
        return 0;
    }
    if (!strncasecmp(s, "https://", 8)) {
        s += 8;
    }
    else if (!strncasecmp(s, "http://", 7)) {
        s += 7;
    }
    else if (s[0] == '/' && s[1] == '/') {
        s += 2;
    }
    else {
        return 0;
    }
    e = s + strcspn(s, "/?#");
    if (memchr(s, '@', (apr_size_t)(e - s))) {
        s = (const char *)memchr(s, '@', (apr_size_t)(e - s)) + 1;    /* user:pass@host */
    }
    if (*s == '[') {
        const char *rb = memchr(s, ']', (apr_size_t)(e - s));
        if (!rb) {
            return 0;
        }
        n = (apr_size_t)(rb + 1 - s);
    }
    else {
        const char *colon = memchr(s, ':', (apr_size_t)(e - s));
        n = (apr_size_t)((colon ? colon : e) - s);
    }
    while (n && s[n - 1] == '.') {
        n--;
    }
    if (!n || n + 1 > size) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!apr_isalnum(c) && c != '-' && c != '.' && c != '_' && c != '[' && c != ']'
            && c != ':') {
            return 0;
        }
        host[i] = (char)apr_tolower(c);
    }
    host[n] = '\0';
    if (!strncasecmp(own_host, "www.", 4) && strchr(own_host + 4, '.')) {
        own_host += 4;
    }
    on = strlen(own_host);
    while (on && own_host[on - 1] == '.') {
        on--;
    }
    if (n == on && !strncasecmp(host, own_host, on)) {
        return 0;
    }
    if (n > on && host[n - on - 1] == '.' && !strncasecmp(host + n - on, own_host, on)) {
        return 0;               /* a subdomain of the site */
    }
    return 1;
}

int cc_disc_element(cc_disc_table_t *t, const char *host, unsigned kind, const char *url,
                    const char *page, apr_int64_t now)
{
    apr_uint32_t h, k;
    apr_size_t i;

    if (!cc_disc_valid(t)) {
        return 0;
    }
    if (strlen(host) > CC_DISC_HOST_MAX) {
        a_add64(&t->dropped_hosts, 1);
        return 0;
    }
    h = d_hash(host);
    for (i = 0; i < CC_DISC_HOSTS; i++) {
        cc_disc_host_t *e = &t->hosts[(h + i) % CC_DISC_HOSTS];
        k = a_load32(&e->key);
        if (k == 0 && a_cas32(&e->key, 0, h)) {
            memcpy(e->host, host, strlen(host) + 1);
            d_copy_cut(e->url, url, CC_DISC_URI_MAX);
            d_copy_path(e->page, page, CC_DISC_URI_MAX);
            e->first = e->last = (apr_uint64_t)now;
            e->kinds = kind;
            e->count = 1;
            a_store32(&e->ready, 1);
            return 2;
        }
        if (k == 0) {
            k = a_load32(&e->key);
        }
        if (k != h) {
            continue;
        }
        if (!a_load32(&e->ready)) {
            return 0;
        }
        if (!strcmp(e->host, host)) {
            a_add64(&e->count, 1);
            if (a_load64(&e->last) != (apr_uint64_t)now) {
                a_store64(&e->last, (apr_uint64_t)now);
            }
            if ((a_load32(&e->kinds) & kind) != kind) {
                a_or32(&e->kinds, kind);
            }
            return 1;
        }
    }
    a_add64(&t->dropped_hosts, 1);
    return 0;
}

cc_disc_table_t *cc_disc_snapshot(apr_pool_t *p, const cc_disc_table_t *t)
{
    cc_disc_table_t *c = apr_palloc(p, sizeof(*c));
    cc_disc_table_t *src = (cc_disc_table_t *)t;
    apr_size_t i;

    cc_disc_init(c);
    if (!cc_disc_valid(t)) {
        return c;
    }
    c->dropped_names = a_load64(&src->dropped_names);
    c->dropped_hosts = a_load64(&src->dropped_hosts);
    for (i = 0; i < CC_DISC_NAMES; i++) {
        if (a_load32(&src->names[i].ready)) {
            c->names[i] = src->names[i];
            if (a_load32(&src->names[i].attr_state) != 2) {
                c->names[i].attr_state = 0;
                c->names[i].domain[0] = c->names[i].path[0] = '\0';
            }
        }
    }
    for (i = 0; i < CC_DISC_HOSTS; i++) {
        if (a_load32(&src->hosts[i].ready)) {
            c->hosts[i] = src->hosts[i];
        }
    }
    return c;
}

int cc_disc_count_names(const cc_disc_table_t *t)
{
    int i, n = 0;

    for (i = 0; cc_disc_valid(t) && i < CC_DISC_NAMES; i++) {
        n += t->names[i].ready != 0;
    }
    return n;
}

int cc_disc_count_hosts(const cc_disc_table_t *t)
{
    int i, n = 0;

    for (i = 0; cc_disc_valid(t) && i < CC_DISC_HOSTS; i++) {
        n += t->hosts[i].ready != 0;
    }
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* The report                                                                                   */

const char *cc_disc_retention(apr_pool_t *p, apr_uint64_t seconds)
{
    apr_uint64_t days;

    if (!seconds) {
        return "session";
    }
    days = (seconds + 86399) / 86400;
    if (days % 365 == 0) {
        return apr_psprintf(p, "%" APR_UINT64_T_FMT "y", days / 365);
    }
    if (days % 30 == 0) {
        return apr_psprintf(p, "%" APR_UINT64_T_FMT "mo", days / 30);
    }
    return apr_psprintf(p, "%" APR_UINT64_T_FMT "d", days);
}

static const char *d_iso(apr_pool_t *p, apr_uint64_t t)
{
    apr_time_exp_t x;

    apr_time_exp_gmt(&x, apr_time_from_sec((apr_time_t)t));
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ", x.tm_year + 1900, x.tm_mon + 1,
                        x.tm_mday, x.tm_hour, x.tm_min, x.tm_sec);
}

/* "Set-Cookie", "JavaScript (request Cookie header only)" */
static const char *d_source(const cc_disc_name_t *e)
{
    return (e->flags & CC_DISC_F_SET_COOKIE) ? "set-cookie" : "javascript";
}

static const char *d_attr_words(apr_pool_t *p, const cc_disc_name_t *e)
{
    return apr_pstrcat(p, (e->flags & CC_DISC_F_SECURE) ? " Secure" : "",
                       (e->flags & CC_DISC_F_HTTPONLY) ? " HttpOnly" : "",
                       (e->flags & CC_DISC_F_SS_STRICT) ? " SameSite=Strict" : "",
                       (e->flags & CC_DISC_F_SS_LAX) ? " SameSite=Lax" : "",
                       (e->flags & CC_DISC_F_SS_NONE) ? " SameSite=None" : "", NULL);
}

/* A Domain a row may hold (cc_cookie_domains' rule), else NULL. */
static const char *d_domain_ok(const char *dom)
{
    const char *s;

    if (!dom || !*dom) {
        return NULL;
    }
    for (s = dom; *s; s++) {
        if (!apr_isalnum(*s) && *s != '-' && *s != '.') {
            return NULL;
        }
    }
    return dom;
}

static const char *d_path_ok(const char *path)
{
    const char *s;

    if (!path || path[0] != '/' || !strcmp(path, "/") || strpbrk(path, ";,\\\"")) {
        return NULL;
    }
    for (s = path; *s; s++) {
        if (apr_iscntrl(*s) || *s == ' ') {
            return NULL;
        }
    }
    return path;
}

static apr_uint64_t d_lifetime(const cc_disc_name_t *e)
{
    return (e->flags & CC_DISC_F_PERSISTENT) ? e->max_age : 0;
}

const char *cc_disc_block(apr_pool_t *p, const cc_disc_report_t *rep, const cc_disc_name_t *e)
{
    cc_sb_t sb;
    const char *dom = e->attr_state == 2 ? d_domain_ok(e->domain) : NULL;
    const char *path = e->attr_state == 2 ? d_path_ok(e->path) : NULL;
    apr_uint64_t life = d_lifetime(e);

    cc_sb_init(&sb, p, 512);
    cc_sb_cat(&sb, "<CookieConsentCookie \"", e->glob, "\">\n", NULL);
    cc_sb_cat(&sb, "    # seen ", apr_psprintf(p, "%" APR_UINT64_T_FMT, e->count), " time(s), ",
              d_iso(p, e->first), " to ", d_iso(p, e->last), ", e.g. ", e->example, " on ",
              e->uri, NULL);
    if (e->flags & CC_DISC_F_SET_COOKIE) {
        cc_sb_cat(&sb, " (Set-Cookie", d_attr_words(p, e), ")\n", NULL);
    }
    else {
        cc_sb_add(&sb, " (only in requests: set by JavaScript)\n");
    }
    if (e->flags & CC_DISC_F_DOMAINS) {
        cc_sb_add(&sb, "    # several Domain or Path values were seen: the first is below\n");
    }
    if (life > 395 * 86400ull) {
        cc_sb_add(&sb, "    # the lifetime seen is over 13 months (the CNIL's ceiling): "
                       "consider a shorter Retention (the module clamps to it)\n");
    }
    cc_sb_cat(&sb, "    # Category: one of ", rep && rep->categories ? rep->categories : "",
              "\n    Category CHOOSE\n", NULL);
    cc_sb_cat(&sb, "    Names ", e->glob, "\n", NULL);
    if (dom) {
        cc_sb_cat(&sb, "    Domain ", dom, "\n", NULL);
    }
    if (path) {
        cc_sb_cat(&sb, "    Path ", path, "\n", NULL);
    }
    if (e->flags & CC_DISC_F_SET_COOKIE) {
        cc_sb_cat(&sb, "    Retention ", cc_disc_retention(p, life), "\n", NULL);
    }
    else {
        cc_sb_add(&sb, "    # Retention: not seen (set by JavaScript): give the script's\n");
    }
    cc_sb_add(&sb, "    Purpose \"DESCRIBE what it is for\"\n</CookieConsentCookie>\n");
    return cc_sb_str(&sb);
}

static const char *d_kinds(apr_pool_t *p, unsigned k, const char *sep)
{
    const char *parts[3];
    int n = 0, i;
    cc_sb_t sb;

    if (k & CC_DISC_K_SCRIPT) {
        parts[n++] = "script";
    }
    if (k & CC_DISC_K_IFRAME) {
        parts[n++] = "iframe";
    }
    if (k & CC_DISC_K_PIXEL) {
        parts[n++] = "pixel";
    }
    cc_sb_init(&sb, p, 32);
    for (i = 0; i < n; i++) {
        cc_sb_cat(&sb, i ? sep : "", parts[i], NULL);
    }
    return cc_sb_str(&sb);
}

/* The kept entries, most seen first. */
static int d_cmp_names(const void *a, const void *b)
{
    const cc_disc_name_t *x = *(const cc_disc_name_t *const *)a;
    const cc_disc_name_t *y = *(const cc_disc_name_t *const *)b;

    if (x->count != y->count) {
        return x->count < y->count ? 1 : -1;
    }
    return strcmp(x->glob, y->glob);
}

static int d_cmp_hosts(const void *a, const void *b)
{
    const cc_disc_host_t *x = *(const cc_disc_host_t *const *)a;
    const cc_disc_host_t *y = *(const cc_disc_host_t *const *)b;

    if (x->count != y->count) {
        return x->count < y->count ? 1 : -1;
    }
    return strcmp(x->host, y->host);
}

static apr_array_header_t *d_names(apr_pool_t *p, const cc_disc_report_t *rep)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(const cc_disc_name_t *));
    int i;

    for (i = 0; i < CC_DISC_NAMES; i++) {
        const cc_disc_name_t *e = &rep->t->names[i];
        if (!e->ready || (rep->declared && rep->declared(rep->baton, e->example))) {
            continue;
        }
        APR_ARRAY_PUSH(out, const cc_disc_name_t *) = e;
    }
    qsort(out->elts, (size_t)out->nelts, sizeof(const cc_disc_name_t *), d_cmp_names);
    return out;
}

static apr_array_header_t *d_hosts(apr_pool_t *p, const cc_disc_report_t *rep)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(const cc_disc_host_t *));
    int i;

    for (i = 0; i < CC_DISC_HOSTS; i++) {
        const cc_disc_host_t *e = &rep->t->hosts[i];
        if (!e->ready || (rep->covered && rep->covered(rep->baton, e->url))) {
            continue;
        }
        APR_ARRAY_PUSH(out, const cc_disc_host_t *) = e;
    }
    qsort(out->elts, (size_t)out->nelts, sizeof(const cc_disc_host_t *), d_cmp_hosts);
    return out;
}

static const char *d_block_line(apr_pool_t *p, const cc_disc_host_t *e)
{
    return apr_pstrcat(p, "Block *//", e->host, "/*", NULL);
}

static const char *d_u64(apr_pool_t *p, apr_uint64_t v)
{
    return apr_psprintf(p, "%" APR_UINT64_T_FMT, v);
}

const char *cc_disc_report_json(apr_pool_t *p, const cc_disc_report_t *rep)
{
    apr_array_header_t *names = d_names(p, rep), *hosts = d_hosts(p, rep);
    cc_sb_t sb;
    int i;

    cc_sb_init(&sb, p, 4096);
    cc_sb_cat(&sb, "{\"vhost\":", cc_json_string(p, rep->vhost), ",\"since\":",
              cc_json_string(p, d_iso(p, (apr_uint64_t)rep->since)), ",\"now\":",
              cc_json_string(p, d_iso(p, (apr_uint64_t)rep->now)), NULL);
    cc_sb_cat(&sb, ",\"bounds\":{\"names\":", apr_itoa(p, CC_DISC_NAMES), ",\"hosts\":",
              apr_itoa(p, CC_DISC_HOSTS), ",\"name_bytes\":", apr_itoa(p, CC_DISC_NAME_MAX),
              ",\"uri_bytes\":", apr_itoa(p, CC_DISC_URI_MAX), "},\"dropped\":{\"names\":",
              d_u64(p, rep->t->dropped_names), ",\"hosts\":", d_u64(p, rep->t->dropped_hosts),
              "},\"cookies\":[", NULL);
    for (i = 0; i < names->nelts; i++) {
        const cc_disc_name_t *e = APR_ARRAY_IDX(names, i, const cc_disc_name_t *);
        const char *ss[3];
        int n = 0, j;
        cc_sb_cat(&sb, i ? "," : "", "{\"glob\":", cc_json_string(p, e->glob), ",\"example\":",
                  cc_json_string(p, e->example), ",\"count\":", d_u64(p, e->count),
                  ",\"first\":", cc_json_string(p, d_iso(p, e->first)), ",\"last\":",
                  cc_json_string(p, d_iso(p, e->last)), ",\"uri\":",
                  cc_json_string(p, e->uri), ",\"source\":", cc_json_string(p, d_source(e)),
                  ",\"in_requests\":", (e->flags & CC_DISC_F_REQUEST) ? "true" : "false", NULL);
        if (e->flags & CC_DISC_F_SET_COOKIE) {
            cc_sb_cat(&sb, ",\"domain\":", e->attr_state == 2 && *e->domain
                      ? cc_json_string(p, e->domain) : "null", ",\"path\":",
                      e->attr_state == 2 && *e->path ? cc_json_string(p, e->path) : "null",
                      ",\"max_age\":", (e->flags & CC_DISC_F_PERSISTENT)
                      ? d_u64(p, e->max_age) : "null", ",\"session\":",
                      (e->flags & CC_DISC_F_SESSION) ? "true" : "false", ",\"secure\":",
                      (e->flags & CC_DISC_F_SECURE) ? "true" : "false", ",\"httponly\":",
                      (e->flags & CC_DISC_F_HTTPONLY) ? "true" : "false",
                      ",\"several_domains_or_paths\":",
                      (e->flags & CC_DISC_F_DOMAINS) ? "true" : "false", NULL);
            if (e->flags & CC_DISC_F_SS_STRICT) {
                ss[n++] = "\"Strict\"";
            }
            if (e->flags & CC_DISC_F_SS_LAX) {
                ss[n++] = "\"Lax\"";
            }
            if (e->flags & CC_DISC_F_SS_NONE) {
                ss[n++] = "\"None\"";
            }
            cc_sb_add(&sb, ",\"samesite\":[");
            for (j = 0; j < n; j++) {
                cc_sb_cat(&sb, j ? "," : "", ss[j], NULL);
            }
            cc_sb_cat(&sb, "],\"retention\":",
                      cc_json_string(p, cc_disc_retention(p, d_lifetime(e))), NULL);
        }
        cc_sb_cat(&sb, ",\"block\":", cc_json_string(p, cc_disc_block(p, rep, e)), "}", NULL);
    }
    cc_sb_add(&sb, "],\"third_parties\":[");
    for (i = 0; i < hosts->nelts; i++) {
        const cc_disc_host_t *e = APR_ARRAY_IDX(hosts, i, const cc_disc_host_t *);
        const char *k = d_kinds(p, e->kinds, "\",\"");
        cc_sb_cat(&sb, i ? "," : "", "{\"host\":", cc_json_string(p, e->host), ",\"kinds\":[\"",
                  k, "\"],\"count\":", d_u64(p, e->count), ",\"first\":",
                  cc_json_string(p, d_iso(p, e->first)), ",\"last\":",
                  cc_json_string(p, d_iso(p, e->last)), ",\"url\":", cc_json_string(p, e->url),
                  ",\"page\":", cc_json_string(p, e->page), ",\"block\":",
                  cc_json_string(p, d_block_line(p, e)), "}", NULL);
    }
    cc_sb_add(&sb, "]}\n");
    return cc_sb_str(&sb);
}

const char *cc_disc_report_html(apr_pool_t *p, const cc_disc_report_t *rep)
{
    apr_array_header_t *names = d_names(p, rep), *hosts = d_hosts(p, rep);
    cc_sb_t sb;
    int i;

    cc_sb_init(&sb, p, 8192);
    cc_sb_add(&sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>Discovered cookies and third parties</title><style>"
                   "body{font-family:system-ui,sans-serif;margin:1rem;max-width:70rem}"
                   "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .4rem;"
                   "text-align:left;vertical-align:top}pre{background:#f4f4f4;padding:.5rem;"
                   "overflow-x:auto}</style></head><body>\n");
    cc_sb_add(&sb, "<h1>Discovered cookies and third parties</h1>\n<p>Virtual host ");
    cc_sb_esc(&sb, rep->vhost);
    cc_sb_cat(&sb, ", since ", d_iso(p, (apr_uint64_t)rep->since), " (now ",
              d_iso(p, (apr_uint64_t)rep->now), "). Undeclared cookie names (grouped under a "
              "proposed glob) and third-party elements that no Block rule covers. Paste a block "
              "into the virtual host, choose its Category, write its Purpose, and check with "
              "<code>apachectl -t</code>: a declared name leaves this report.</p>\n", NULL);
    if (rep->t->dropped_names || rep->t->dropped_hosts) {
        cc_sb_cat(&sb, "<p><strong>Not kept</strong> (table full or name too long): ",
                  d_u64(p, rep->t->dropped_names), " cookie sighting(s), ",
                  d_u64(p, rep->t->dropped_hosts), " element(s).</p>\n", NULL);
    }
    cc_sb_cat(&sb, "<h2>Cookies (", apr_itoa(p, names->nelts), ")</h2>\n", NULL);
    if (names->nelts) {
        cc_sb_add(&sb, "<table><thead><tr><th>Proposed glob</th><th>Example</th><th>Seen</th>"
                       "<th>First</th><th>Last</th><th>Source</th><th>Domain</th><th>Path</th>"
                       "<th>Lifetime</th><th>Attributes</th><th>Example URI</th></tr></thead>"
                       "<tbody>\n");
        for (i = 0; i < names->nelts; i++) {
            const cc_disc_name_t *e = APR_ARRAY_IDX(names, i, const cc_disc_name_t *);
            int set = (e->flags & CC_DISC_F_SET_COOKIE) != 0;
            cc_sb_add(&sb, "<tr><td><code>");
            cc_sb_esc(&sb, e->glob);
            cc_sb_add(&sb, "</code></td><td><code>");
            cc_sb_esc(&sb, e->example);
            cc_sb_cat(&sb, "</code></td><td>", d_u64(p, e->count), "</td><td>", d_iso(p, e->first),
                      "</td><td>", d_iso(p, e->last), "</td><td>",
                      set ? "Set-Cookie" : "JavaScript (requests only)", "</td><td>", NULL);
            cc_sb_esc(&sb, e->attr_state == 2 && *e->domain ? e->domain : set ? "(host-only)"
                                                                             : "");
            cc_sb_add(&sb, "</td><td>");
            cc_sb_esc(&sb, e->attr_state == 2 && *e->path ? e->path : "");
            cc_sb_cat(&sb, "</td><td>", set ? cc_disc_retention(p, d_lifetime(e)) : "",
                      "</td><td>", set ? d_attr_words(p, e) : "", "</td><td>", NULL);
            cc_sb_esc(&sb, e->uri);
            cc_sb_add(&sb, "</td></tr>\n");
        }
        cc_sb_add(&sb, "</tbody></table>\n<h3>Ready-to-paste blocks</h3>\n<pre>");
        for (i = 0; i < names->nelts; i++) {
            cc_sb_esc(&sb, cc_disc_block(p, rep, APR_ARRAY_IDX(names, i, const cc_disc_name_t *)));
            cc_sb_add(&sb, "\n");
        }
        cc_sb_add(&sb, "</pre>\n");
    }
    else {
        cc_sb_add(&sb, "<p>None: every cookie seen is declared.</p>\n");
    }
    cc_sb_cat(&sb, "<h2>Third parties (", apr_itoa(p, hosts->nelts), ")</h2>\n", NULL);
    if (hosts->nelts) {
        cc_sb_add(&sb, "<table><thead><tr><th>Host</th><th>Elements</th><th>Met</th>"
                       "<th>First</th><th>Last</th><th>Example URL</th><th>Page</th>"
                       "<th>Block line for its row</th></tr></thead><tbody>\n");
        for (i = 0; i < hosts->nelts; i++) {
            const cc_disc_host_t *e = APR_ARRAY_IDX(hosts, i, const cc_disc_host_t *);
            cc_sb_add(&sb, "<tr><td>");
            cc_sb_esc(&sb, e->host);
            cc_sb_cat(&sb, "</td><td>", d_kinds(p, e->kinds, ", "), "</td><td>",
                      d_u64(p, e->count), "</td><td>", d_iso(p, e->first), "</td><td>",
                      d_iso(p, e->last), "</td><td>", NULL);
            cc_sb_esc(&sb, e->url);
            cc_sb_add(&sb, "</td><td>");
            cc_sb_esc(&sb, e->page);
            cc_sb_add(&sb, "</td><td><code>");
            cc_sb_esc(&sb, d_block_line(p, e));
            cc_sb_add(&sb, "</code></td></tr>\n");
        }
        cc_sb_add(&sb, "</tbody></table>\n");
    }
    else {
        cc_sb_add(&sb, "<p>None: every third-party script, iframe and pixel met is covered by a "
                       "Block rule.</p>\n");
    }
    cc_sb_add(&sb, "</body></html>\n");
    return cc_sb_str(&sb);
}

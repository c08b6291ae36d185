/* cc_record.c - consent records: JSON lines, addresses, the texts' hash, export times, the
 * receipt. */
#include "cc_record.h"

#include "cc_html.h"
#include "cc_i18n.h"

#include <apr_strings.h>
#include <apr_time.h>
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <string.h>
#include <strings.h>

#define CC_CAT(d, i) (APR_ARRAY_IDX((d)->categories, (i), const cc_category_t *))
#define CC_ROW(d, i) (APR_ARRAY_IDX((d)->cookies, (i), const cc_cookie_decl_t *))

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                         */

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when the bytes there are not one
 * (overlong forms, surrogates and code points over U+10FFFF included). */
static int cc_utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];

    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    }
    if (c >= 0xe0 && c <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (c == 0xe0 && s[1] < 0xa0)
            || (c == 0xed && s[1] > 0x9f)) {
            return 0;
        }
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80
            || (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

/* s as a JSON string (quotes included; NULL is null): '"', '\' and controls escaped, '<', '>',
 * '&' too (the JSON may sit in a page), U+2028/U+2029 too (JavaScript), each byte of invalid
 * UTF-8 replaced by U+FFFD: a line is always valid JSON, whatever a User-Agent held. */
static void cc_json_str(cc_sb_t *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    char esc[7];
    int n;

    if (!s) {
        cc_sb_add(sb, "null");
        return;
    }
    cc_sb_add(sb, "\"");
    while (*u) {
        const unsigned char *run = u;
        while (*u >= 0x20 && *u < 0x7f && *u != '"' && *u != '\\' && *u != '<' && *u != '>'
               && *u != '&') {
            u++;
        }
        if (u > run) {
            cc_sb_addn(sb, (const char *)run, (apr_size_t)(u - run));
        }
        if (!*u) {
            break;
        }
        if (*u == '"' || *u == '\\') {
            esc[0] = '\\', esc[1] = (char)*u, esc[2] = '\0';
            cc_sb_add(sb, esc);
            u++;
        }
        else if (*u < 0x80) {
            esc[0] = '\\', esc[1] = 'u', esc[2] = '0', esc[3] = '0';
            esc[4] = hex[*u >> 4], esc[5] = hex[*u & 15], esc[6] = '\0';
            cc_sb_add(sb, esc);
            u++;
        }
        else if ((n = cc_utf8_seq(u)) == 0) {
            cc_sb_add(sb, "\\ufffd");
            u++;
        }
        else if (n == 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9)) {
            cc_sb_add(sb, u[2] == 0xa8 ? "\\u2028" : "\\u2029");
            u += 3;
        }
        else {
            cc_sb_addn(sb, (const char *)u, (apr_size_t)n);
            u += n;
        }
    }
    cc_sb_add(sb, "\"");
}

/* Space-separated words as a JSON array of strings. */
static void cc_json_words(cc_sb_t *sb, const char *words)
{
    const char *b = words, *e;
    int first = 1;

    cc_sb_add(sb, "[");
    while (b && *b) {
        while (*b == ' ') {
            b++;
        }
        if (!*b) {
            break;
        }
        for (e = b; *e && *e != ' '; e++) {
        }
        cc_sb_add(sb, first ? "" : ",");
        cc_json_str(sb, apr_pstrmemdup(sb->pool, b, (apr_size_t)(e - b)));
        first = 0;
        b = e;
    }
    cc_sb_add(sb, "]");
}

const char *cc_record_iso_time(apr_pool_t *p, apr_int64_t ms)
{
    apr_time_exp_t t;

    if (ms < 0) {
        ms = 0;
    }
    apr_time_exp_gmt(&t, (apr_time_t)ms * 1000);
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1,
                        t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, (int)(ms % 1000));
}

static void cc_json_key(cc_sb_t *sb, const char *key, const char *value)
{
    cc_sb_cat(sb, ",\"", key, "\":", NULL);
    cc_json_str(sb, value);
}

const char *cc_record_json(apr_pool_t *p, const cc_record_t *rec)
{
    cc_sb_t sb;

    cc_sb_init(&sb, p, 1024);
    cc_sb_add(&sb, "{\"id\":");
    cc_json_str(&sb, rec->id);
    cc_json_key(&sb, "time", cc_record_iso_time(p, rec->time_ms));
    cc_sb_cat(&sb, ",\"time_ms\":", apr_psprintf(p, "%" APR_INT64_T_FMT, rec->time_ms), NULL);
    cc_json_key(&sb, "vhost", rec->vhost);
    cc_json_key(&sb, "action", rec->action);
    cc_sb_add(&sb, ",\"accepted\":");
    cc_json_words(&sb, rec->accepted);
    cc_sb_add(&sb, ",\"refused\":");
    cc_json_words(&sb, rec->refused);
    cc_json_key(&sb, "source", rec->source);
    cc_json_key(&sb, "fingerprint", rec->fingerprint);
    cc_json_key(&sb, "texts_hash", rec->texts_hash);
    cc_json_key(&sb, "lang", rec->lang);
    cc_json_key(&sb, "revision", rec->revision);
    cc_json_key(&sb, "address", rec->address);
    cc_json_key(&sb, "user_agent", rec->user_agent);
    cc_json_key(&sb, "previous_id", rec->previous_id);
    cc_sb_add(&sb, "}");
    return cc_sb_str(&sb);
}

/* ------------------------------------------------------------------------------------------ */
/* What is kept of the visitor                                                                  */

int cc_record_addr_mode(const char *word, cc_addr_mode_e *mode)
{
    if (!word) {
        return -1;
    }
    if (!strcasecmp(word, "none")) {
        *mode = CC_ADDR_NONE;
    }
    else if (!strcasecmp(word, "truncated")) {
        *mode = CC_ADDR_TRUNCATED;
    }
    else if (!strcasecmp(word, "full")) {
        *mode = CC_ADDR_FULL;
    }
    else {
        return -1;
    }
    return 0;
}

const char *cc_record_address(apr_pool_t *p, const char *ip, cc_addr_mode_e mode)
{
    unsigned char a6[16], a4[4];
    char buf[INET6_ADDRSTRLEN];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (mode == CC_ADDR_NONE || !ip || strlen(ip) >= sizeof(buf)) {
        return NULL;
    }
    if (inet_pton(AF_INET, ip, a4) == 1) {
        if (mode == CC_ADDR_TRUNCATED) {
            a4[3] = 0;
        }
        return inet_ntop(AF_INET, a4, buf, sizeof(buf)) ? apr_pstrdup(p, buf) : NULL;
    }
    if (inet_pton(AF_INET6, ip, a6) != 1) {
        return NULL;
    }
    if (!memcmp(a6, mapped, sizeof(mapped))) {
        memcpy(a4, a6 + 12, 4);
        if (mode == CC_ADDR_TRUNCATED) {
            a4[3] = 0;
        }
        return inet_ntop(AF_INET, a4, buf, sizeof(buf)) ? apr_pstrdup(p, buf) : NULL;
    }
    if (mode == CC_ADDR_TRUNCATED) {
        memset(a6 + 6, 0, 10);
    }
    return inet_ntop(AF_INET6, a6, buf, sizeof(buf)) ? apr_pstrdup(p, buf) : NULL;
}

const char *cc_record_user_agent(apr_pool_t *p, const char *ua)
{
    const unsigned char *u = (const unsigned char *)ua;
    char *out, *w;
    int n;

    if (!ua) {
        return NULL;
    }
    /* valid UTF-8 in (a database with a UTF-8 encoding refuses anything else): each invalid
     * byte and each control becomes U+FFFD or a space, then the text is cut at a character */
    w = out = apr_palloc(p, CC_RECORD_UA_MAX + 1);
    while (*u) {
        n = cc_utf8_seq(u);
        if (n == 0 || (n == 1 && (*u < 0x20 || *u == 0x7f))) {
            if (w + (n ? 1 : 3) > out + CC_RECORD_UA_MAX) {
                break;
            }
            if (n) {
                *w++ = ' ';
            }
            else {
                *w++ = '\xef', *w++ = '\xbf', *w++ = '\xbd';
            }
            u++;
            continue;
        }
        if (w + n > out + CC_RECORD_UA_MAX) {
            break;
        }
        memcpy(w, u, (apr_size_t)n);
        w += n, u += n;
    }
    *w = '\0';
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* The texts' hash                                                                              */

static int cc_hash_text(EVP_MD_CTX *md, const char *s)
{
    char len[24];
    apr_size_t n = s ? strlen(s) : 0;

    /* "<length>:" then the bytes: NULL and "" hash the same (nothing was shown) */
    apr_snprintf(len, sizeof(len), "%" APR_SIZE_T_FMT ":", n);
    return EVP_DigestUpdate(md, len, strlen(len)) == 1 && (!n || EVP_DigestUpdate(md, s, n) == 1);
}

const char *cc_record_texts_hash(apr_pool_t *p, const cc_decl_t *d, const char *lang)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int outlen = 0, i;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    char *h;
    int ok, j;

    if (!md) {
        return NULL;
    }
    ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    for (j = 0; ok && j < d->categories->nelts; j++) {
        const cc_category_t *c = CC_CAT(d, j);
        ok = cc_hash_text(md, c->name) && cc_hash_text(md, cc_text_pick(c->titles, lang))
             && cc_hash_text(md, cc_text_pick(c->descriptions, lang))
             && (!c->summaries || cc_hash_text(md, cc_text_pick(c->summaries, lang)));
    }
    for (j = 0; ok && j < d->cookies->nelts; j++) {
        const cc_cookie_decl_t *r = CC_ROW(d, j);
        ok = cc_hash_text(md, r->label) && cc_hash_text(md, cc_text_pick(r->purposes, lang));
    }
    for (j = 0; ok && j < CC_S_COUNT; j++) {
        ok = cc_hash_text(md, cc_i18n_site(d->ui_texts, lang, (cc_string_e)j));
    }
    ok = ok && EVP_DigestFinal_ex(md, out, &outlen) == 1 && outlen == 32;
    EVP_MD_CTX_free(md);
    if (!ok) {
        return NULL;
    }
    h = apr_palloc(p, CC_RECORD_HASH_LEN + 1);
    for (i = 0; i < outlen; i++) {
        h[2 * i] = hex[out[i] >> 4];
        h[2 * i + 1] = hex[out[i] & 15];
    }
    h[CC_RECORD_HASH_LEN] = '\0';
    return h;
}

/* ------------------------------------------------------------------------------------------ */
/* Times of the export                                                                          */

/* n digits at *s as a number; -1 if they are not all digits. */
static int cc_digits(const char **s, int n)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9') {
            return -1;
        }
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    return v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static apr_int64_t cc_days_from_civil(int y, int m, int d)
{
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int cc_month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return days[m - 1];
}

static int cc_epoch_parse(const char *s, apr_int64_t *ms)
{
    apr_int64_t secs = 0;
    int n = 0, frac = 0, fd = 0;

    for (; *s >= '0' && *s <= '9'; s++) {
        if (++n > 12) {
            return -1;
        }
        secs = secs * 10 + (*s - '0');
    }
    if (!n) {
        return -1;
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) {
            if (++fd > 3) {
                return -1;
            }
            frac = frac * 10 + (*s - '0');
        }
        if (!fd) {
            return -1;
        }
        for (; fd < 3; fd++) {
            frac *= 10;
        }
    }
    if (*s || secs > 253402300799LL) {     /* 9999-12-31T23:59:59Z, as ISO 8601 allows */
        return -1;
    }
    *ms = secs * 1000 + frac;
    return 0;
}

int cc_record_time_parse(const char *s, apr_int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh, om, sign;
    apr_int64_t t;

    if (!s || !*s) {
        return -1;
    }
    if (strlen(s) != 4 && !strchr(s, '-')) {
        return cc_epoch_parse(s, ms);
    }
    if ((y = cc_digits(&s, 4)) < 1970 || *s++ != '-' || (mo = cc_digits(&s, 2)) < 1 || mo > 12
        || *s++ != '-' || (d = cc_digits(&s, 2)) < 1 || d > cc_month_days(y, mo)) {
        return -1;
    }
    if (*s == 'T' || *s == ' ') {
        s++;
        if ((h = cc_digits(&s, 2)) < 0 || h > 23 || *s++ != ':' || (mi = cc_digits(&s, 2)) < 0
            || mi > 59) {
            return -1;
        }
        if (*s == ':') {
            s++;
            if ((sec = cc_digits(&s, 2)) < 0 || sec > 59) {
                return -1;
            }
            if (*s == '.') {
                s++;
                if ((frac = cc_digits(&s, 3)) < 0) {
                    return -1;
                }
            }
        }
    }
    else if (*s) {
        return -1;
    }
    t = ((cc_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
    if (*s == 'Z') {
        s++;
    }
    else if (*s == '+' || *s == '-') {
        sign = *s++ == '+' ? 1 : -1;
        if ((oh = cc_digits(&s, 2)) < 0 || oh > 23 || *s++ != ':' || (om = cc_digits(&s, 2)) < 0
            || om > 59) {
            return -1;
        }
        t -= sign * (oh * 3600 + om * 60);
    }
    if (*s || t < 0) {
        return -1;
    }
    *ms = t * 1000 + frac;
    return 0;
}

const char *cc_record_action(const char *form_action, int had_previous, apr_uint32_t before,
                             apr_uint32_t after, apr_uint32_t optional_mask)
{
    if (had_previous && (before & optional_mask & ~after)) {
        return "withdraw";
    }
    return form_action;
}

/* ------------------------------------------------------------------------------------------ */
/* The receipt                                                                                  */

#define T(id) cc_i18n_site(rc->ui_texts, rc->lang, (id))
#define TE(id) cc_html_escape(p, T(id))        /* for cc_sb_cat: a site's text is escaped */

static void cc_receipt_row(cc_sb_t *sb, const char *label, const char *value, int code)
{
    cc_sb_add(sb, "<tr><th scope=\"row\">");
    cc_sb_esc(sb, label);
    cc_sb_add(sb, code ? "</th><td><code>" : "</th><td>");
    cc_sb_esc(sb, value && *value ? value : "-");
    cc_sb_add(sb, code ? "</code></td></tr>" : "</td></tr>");
}

/* <link rel="stylesheet"> of one of the module's stylesheets (name without ".css"). */
static void cc_receipt_stylesheet(cc_sb_t *sb, const cc_receipt_t *rc, const char *name)
{
    cc_sb_add(sb, "<link rel=\"stylesheet\" href=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_cat(sb, "/assets/", name, ".css?v=", NULL);
    cc_sb_esc(sb, rc->asset_version);
    cc_sb_add(sb, "\"");
    if (rc->style_nonce) {
        cc_sb_add(sb, " nonce=\"");
        cc_sb_esc(sb, rc->style_nonce);
        cc_sb_add(sb, "\"");
    }
    cc_sb_add(sb, ">");
}

const char *cc_record_receipt_html(apr_pool_t *p, const cc_receipt_t *rc)
{
    const cc_record_t *rec = rc->rec;
    cc_sb_t sb;

    cc_sb_init(&sb, p, 4096);
    cc_sb_add(&sb, "<!DOCTYPE html>\n<html lang=\"");
    cc_sb_esc(&sb, rc->lang);
    cc_sb_add(&sb, "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
              "content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" "
              "content=\"noindex\"><title>");
    cc_sb_esc(&sb, T(CC_S_RECEIPT_TITLE));
    cc_sb_add(&sb, "</title>");
    /* the first layer's stylesheet and the settings layer's (the page's table) */
    cc_receipt_stylesheet(&sb, rc, "cookieconsent");
    cc_receipt_stylesheet(&sb, rc, "cookieconsent-settings");
    cc_sb_cat(&sb, "</head><body class=\"cc-page\"><main class=\"cc-root cc-page__main "
              "cc-receipt\"><h1 class=\"cc-title\">", TE(CC_S_RECEIPT_TITLE), "</h1>", NULL);
    if (!rec) {
        cc_sb_cat(&sb, "<p class=\"cc-text cc-state\">", TE(CC_S_NOT_DECIDED), "</p>", NULL);
    }
    else {
        cc_sb_cat(&sb, "<p class=\"cc-text\">", TE(CC_S_RECEIPT_INTRO), "</p>", NULL);
        cc_sb_add(&sb, "<div class=\"cc-table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-label=\"");
        cc_sb_esc(&sb, T(CC_S_RECEIPT_TITLE));
        cc_sb_add(&sb, "\"><table class=\"cc-cookies cc-receipt__table\"><tbody>");
        cc_receipt_row(&sb, T(CC_S_RECEIPT_ID), rec->id, 1);
        cc_receipt_row(&sb, T(CC_S_RECEIPT_TIME), cc_record_iso_time(p, rec->time_ms), 0);
        cc_receipt_row(&sb, T(CC_S_RECEIPT_ACTION), rec->action, 1);
        cc_receipt_row(&sb, T(CC_S_RECEIPT_ACCEPTED), rec->accepted, 0);
        cc_receipt_row(&sb, T(CC_S_RECEIPT_REFUSED), rec->refused, 0);
        cc_receipt_row(&sb, T(CC_S_RECEIPT_DECLARATIONS), rec->fingerprint, 1);
        if (rec->revision) {
            cc_receipt_row(&sb, T(CC_S_RECEIPT_REVISION), rec->revision, 0);
        }
        if (rec->texts_hash) {
            cc_receipt_row(&sb, T(CC_S_RECEIPT_TEXTS), rec->texts_hash, 1);
        }
        if (rec->lang) {
            cc_receipt_row(&sb, T(CC_S_RECEIPT_LANG), rec->lang, 1);
        }
        if (rec->source) {
            cc_receipt_row(&sb, T(CC_S_RECEIPT_SOURCE), rec->source, 1);
        }
        if (rec->previous_id) {
            cc_receipt_row(&sb, T(CC_S_RECEIPT_PREVIOUS), rec->previous_id, 1);
        }
        cc_sb_add(&sb, "</tbody></table></div>");
        if (!rc->stored) {
            cc_sb_cat(&sb, "<p class=\"cc-text cc-note\">", TE(CC_S_RECEIPT_FROM_COOKIE), "</p>",
                      NULL);
        }
    }
    cc_sb_cat(&sb, "<p class=\"cc-text\">", TE(CC_S_RECEIPT_WITHDRAW), "</p>"
              "<p class=\"cc-links\"><a href=\"", NULL);
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_add(&sb, "/settings?lang=");
    cc_sb_esc(&sb, rc->lang);
    cc_sb_cat(&sb, "\">", TE(CC_S_PRIVACY_SETTINGS), "</a> <a href=\"", NULL);
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_add(&sb, "/receipt?format=json\">JSON</a></p></main></body></html>\n");
    return cc_sb_str(&sb);
}

const char *cc_record_receipt_json(apr_pool_t *p, const cc_receipt_t *rc)
{
    if (!rc->rec) {
        return "{\"decided\":false}";
    }
    return apr_pstrcat(p, "{\"decided\":true,\"stored\":", rc->stored ? "true" : "false",
                       ",\"record\":", cc_record_json(p, rc->rec), "}", NULL);
}

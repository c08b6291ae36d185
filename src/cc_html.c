/* cc_html.c - a pool-backed string builder and HTML escaping. */
#include "cc_html.h"

#include <stdarg.h>
#include <string.h>

void cc_sb_init(cc_sb_t *sb, apr_pool_t *p, apr_size_t hint)
{
    sb->pool = p;
    sb->cap = hint < 64 ? 64 : hint;
    sb->data = apr_palloc(p, sb->cap);
    sb->len = 0;
    sb->data[0] = '\0';
}

static void cc_sb_grow(cc_sb_t *sb, apr_size_t need)
{
    char *bigger;

    if (sb->len + need + 1 <= sb->cap) {
        return;
    }
    while (sb->len + need + 1 > sb->cap) {
        sb->cap *= 2;
    }
    bigger = apr_palloc(sb->pool, sb->cap);
    memcpy(bigger, sb->data, sb->len + 1);
    sb->data = bigger;
}

void cc_sb_addn(cc_sb_t *sb, const char *s, apr_size_t n)
{
    cc_sb_grow(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void cc_sb_add(cc_sb_t *sb, const char *s)
{
    if (s) {
        cc_sb_addn(sb, s, strlen(s));
    }
}

void cc_sb_cat(cc_sb_t *sb, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, sb);
    while ((s = va_arg(ap, const char *)) != NULL) {
        cc_sb_add(sb, s);
    }
    va_end(ap);
}

void cc_sb_esc(cc_sb_t *sb, const char *s)
{
    const char *run = s;

    if (!s) {
        return;
    }
    for (; *s; s++) {
        const char *ent = NULL;
        switch (*s) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        }
        if (ent) {
            cc_sb_addn(sb, run, s - run);
            cc_sb_add(sb, ent);
            run = s + 1;
        }
    }
    cc_sb_addn(sb, run, s - run);
}

const char *cc_sb_str(cc_sb_t *sb)
{
    return sb->data;
}

const char *cc_html_escape(apr_pool_t *p, const char *s)
{
    cc_sb_t sb;

    if (!s) {
        return "";
    }
    if (!s[strcspn(s, "&<>\"'")]) {
        return s;                   /* nothing to escape (a page's path, usually): no copy */
    }
    cc_sb_init(&sb, p, strlen(s) + 16);
    cc_sb_esc(&sb, s);
    return cc_sb_str(&sb);
}

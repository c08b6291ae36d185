/* cc_gate.c - third-party elements wait for consent: a streaming HTML rewriter (see cc_gate.h). */
#include "cc_gate.h"
#include "cc_glob.h"
#include "cc_html.h"
#include "cc_i18n.h"
#include "cc_text.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

enum {
    G_DATA = 0,
    G_TAG_OPEN,             /* after '<' */
    G_END_TAG_OPEN,         /* after "</" */
    G_TAG_NAME,
    G_BEFORE_ATTR,
    G_ATTR_NAME,
    G_AFTER_ATTR_NAME,
    G_BEFORE_VALUE,
    G_VALUE_DQ,
    G_VALUE_SQ,
    G_VALUE_UNQ,
    G_MARKUP_DECL,          /* after "<!" */
    G_COMMENT_START,        /* after "<!-" */
    G_COMMENT,
    G_BOGUS,                /* "<!DOCTYPE ...>", "<?...>", "</ ...>": until '>' */
    G_RAW,                  /* script, style, ...: until "</name" */
    G_PLAINTEXT
};

typedef enum {
    T_OTHER = 0, T_SCRIPT, T_IFRAME, T_IMG, T_LINK, T_EMBED, T_OBJECT
} cc_gate_tag_e;

#define CC_GATE_NAME_MAX 10

struct cc_gate_t {
    apr_pool_t *p;
    const cc_render_t *rc;
    const cc_decl_t *d;
    apr_uint32_t allowed;
    const char *origin, *path;
    apr_array_header_t *edits;
    apr_off_t pos;                      /* offset of the next byte */
    int state;
    int is_end;                         /* the tag being read is an end tag */
    char name[CC_GATE_NAME_MAX + 1];
    apr_size_t name_len;
    cc_gate_tag_e tag;                  /* what the start tag being read is */
    apr_off_t tag_start;                /* offset of its '<' */
    cc_sb_t buf;                        /* its text from '<', while captured */
    int capture;
    int dashes;
    const char *raw_end;                /* in raw text: the element whose end tag ends it */
    apr_size_t raw_matched;
    /* an inline script being read to decide (BlockInline) */
    int inline_check;
    apr_off_t inline_start, inline_end; /* its start tag */
    const char *inline_text;            /* a copy of that start tag */
    apr_size_t inline_len;              /* script text read so far */
    char *tail;                         /* the last bytes of it, for texts across chunks */
    apr_size_t tail_len, tail_max;
    int overlong;
    const char *head_text;              /* to insert at the top of <head> */
    int head_done;
    int held;                           /* elements held */
    cc_gate_seen_fn *seen_fn;           /* discovery: elements no Block glob covers */
    void *seen_baton;
};

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                */

static int g_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static char g_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static const char *const g_raw_elements[] = {
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", NULL
};

static int g_name_is(const cc_gate_t *g, const char *name)
{
    apr_size_t n = strlen(name);

    return g->name_len == n && !memcmp(g->name, name, n);
}

static cc_gate_tag_e g_tag_kind(const cc_gate_t *g)
{
    if (g->is_end) {
        return T_OTHER;
    }
    return g_name_is(g, "script") ? T_SCRIPT : g_name_is(g, "iframe") ? T_IFRAME
           : g_name_is(g, "img") ? T_IMG : g_name_is(g, "link") ? T_LINK
           : g_name_is(g, "embed") ? T_EMBED : g_name_is(g, "object") ? T_OBJECT : T_OTHER;
}

static int g_allowed(const cc_gate_t *g, int category)
{
    return category >= 0 && (g->allowed & (1u << category));
}

static void g_edit(cc_gate_t *g, apr_off_t start, apr_off_t end, const char *text)
{
    cc_gate_edit_t *e = apr_array_push(g->edits);

    e->start = start;
    e->end = end;
    e->text = text;
}

/* ------------------------------------------------------------------------------------------ */
/* Attributes of a captured start tag                                                           */

typedef struct {
    const char *name;               /* lower case copy */
    const char *value;              /* as written, without its quotes; "" for none */
    const char *raw;                /* the attribute as written (name through value) */
    apr_size_t raw_len;
} g_attr_t;

static apr_array_header_t *g_attrs(apr_pool_t *p, const char *s, apr_size_t len)
{
    apr_array_header_t *out = apr_array_make(p, 8, sizeof(g_attr_t));
    const char *e = s + len, *nb, *vb, *ve;
    g_attr_t *a;
    char q;

    /* skip "<name" */
    for (s++; s < e && !g_space(*s) && *s != '/' && *s != '>'; s++) {
    }
    while (s < e) {
        while (s < e && (g_space(*s) || *s == '/')) {
            s++;
        }
        if (s >= e || *s == '>') {
            break;
        }
        nb = s;
        /* a name may start with '=' (HTML5 tokenizer), then runs to a space, '/', '>' or '=' */
        for (s++; s < e && !g_space(*s) && *s != '/' && *s != '>' && *s != '='; s++) {
        }
        a = apr_array_push(out);
        a->name = apr_pstrmemdup(p, nb, (apr_size_t)(s - nb));
        for (char *w = (char *)a->name; *w; w++) {
            *w = g_lower(*w);
        }
        a->value = "";
        ve = s;
        vb = s;
        while (vb < e && g_space(*vb)) {
            vb++;
        }
        if (vb < e && *vb == '=') {
            for (vb++; vb < e && g_space(*vb); vb++) {
            }
            if (vb < e && (*vb == '"' || *vb == '\'')) {
                q = *vb++;
                for (ve = vb; ve < e && *ve != q; ve++) {
                }
                a->value = apr_pstrmemdup(p, vb, (apr_size_t)(ve - vb));
                s = ve < e ? ve + 1 : e;
            }
            else {
                for (ve = vb; ve < e && !g_space(*ve) && *ve != '>'; ve++) {
                }
                a->value = apr_pstrmemdup(p, vb, (apr_size_t)(ve - vb));
                s = ve;
            }
        }
        a->raw = nb;
        a->raw_len = (apr_size_t)(s - nb);
    }
    return out;
}

static const g_attr_t *g_attr(const apr_array_header_t *attrs, const char *name)
{
    const g_attr_t *a = (const g_attr_t *)attrs->elts;
    int i;

    for (i = 0; i < attrs->nelts; i++) {
        if (!strcmp(a[i].name, name)) {
            return &a[i];           /* the first one counts, as in browsers */
        }
    }
    return NULL;
}

/* A value as an attribute value in double quotes: '"' is the only character that needs care (the
 * value keeps its character references, which mean the same in either quoting). */
/* A tracking pixel: an image of width or height 0 or 1, or hidden with display:none. */
static int g_pixel(const apr_array_header_t *attrs)
{
    static const char *const dims[] = {"width", "height", NULL};
    const g_attr_t *a;
    int i;

    for (i = 0; dims[i]; i++) {
        if ((a = g_attr(attrs, dims[i])) && (!strcmp(a->value, "0") || !strcmp(a->value, "1")
                                             || !strcmp(a->value, "1px")
                                             || !strcmp(a->value, "0px"))) {
            return 1;
        }
    }
    if ((a = g_attr(attrs, "style"))) {
        const char *s = a->value;
        for (; (s = strstr(s, "display")); s += 7) {
            const char *v = s + 7;
            while (*v == ' ' || *v == ':') {
                v++;
            }
            if (!strncmp(v, "none", 4)) {
                return 1;
            }
        }
    }
    return 0;
}

static void g_add_value(cc_sb_t *sb, const char *v)
{
    const char *q;

    while ((q = strchr(v, '"'))) {
        cc_sb_addn(sb, v, (apr_size_t)(q - v));
        cc_sb_add(sb, "&quot;");
        v = q + 1;
    }
    cc_sb_add(sb, v);
}

static void g_add_attr(cc_sb_t *sb, const char *name, const char *value)
{
    cc_sb_add(sb, " ");
    cc_sb_add(sb, name);
    cc_sb_add(sb, "=\"");
    g_add_value(sb, value);
    cc_sb_add(sb, "\"");
}

/* Only "&amp;" matters to match a URL as written in HTML against a glob. */
static const char *g_unescape_amp(apr_pool_t *p, const char *v)
{
    char *out, *w;

    if (!strstr(v, "&amp;")) {
        return v;
    }
    out = w = apr_pstrdup(p, v);
    while (*v) {
        if (!strncmp(v, "&amp;", 5)) {
            *w++ = '&';
            v += 5;
        }
        else {
            *w++ = *v++;
        }
    }
    *w = '\0';
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* URLs and rules                                                                               */

const char *cc_gate_resolve(apr_pool_t *p, const char *origin, const char *path, const char *ref)
{
    const char *s, *slash;

    while (*ref && g_space(*ref)) {
        ref++;
    }
    /* a scheme: letters, digits, + - . then ':' */
    if (apr_isalpha(*ref)) {
        for (s = ref + 1; apr_isalnum(*s) || *s == '+' || *s == '-' || *s == '.'; s++) {
        }
        if (*s == ':') {
            return ref;
        }
    }
    if (ref[0] == '/' && ref[1] == '/') {
        s = strchr(origin, ':');
        return apr_pstrcat(p, s ? apr_pstrmemdup(p, origin, (apr_size_t)(s - origin)) : "http",
                           ":", ref, NULL);
    }
    if (ref[0] == '/') {
        return apr_pstrcat(p, origin, ref, NULL);
    }
    slash = path ? strrchr(path, '/') : NULL;
    return apr_pstrcat(p, origin, slash ? apr_pstrmemdup(p, path, (apr_size_t)(slash - path + 1))
                                        : "/", ref, NULL);
}

/* The first row whose Block globs match the URL (as written or resolved) and whose category
 * is not allowed; NULL when the element may load. */
static const cc_cookie_decl_t *g_blocking_row(cc_gate_t *g, const char *raw)
{
    const char *url = g_unescape_amp(g->p, raw), *abs = NULL;
    int i, j;

    for (i = 0; i < g->d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(g->d->cookies, i, const cc_cookie_decl_t *);
        if (!row->block || g_allowed(g, row->category_index)) {
            continue;
        }
        for (j = 0; j < row->block->nelts; j++) {
            const char *glob = APR_ARRAY_IDX(row->block, j, const char *);
            if (cc_glob_match(glob, url)) {
                return row;
            }
            if (!abs) {
                abs = cc_gate_resolve(g->p, g->origin, g->path, url);
            }
            if (cc_glob_match(glob, abs)) {
                return row;
            }
        }
    }
    return NULL;
}

/* 1 when a Block glob of any row, allowed or not, matches the URL (as written or resolved). */
static int g_covered(cc_gate_t *g, const char *raw)
{
    const char *url = g_unescape_amp(g->p, raw), *abs = cc_gate_resolve(g->p, g->origin,
                                                                        g->path, url);
    int i, j;

    for (i = 0; i < g->d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(g->d->cookies, i, const cc_cookie_decl_t *);
        for (j = 0; row->block && j < row->block->nelts; j++) {
            const char *glob = APR_ARRAY_IDX(row->block, j, const char *);
            if (cc_glob_match(glob, url) || cc_glob_match(glob, abs)) {
                return 1;
            }
        }
    }
    return 0;
}

/* Discovery: an element that loads from url and that nothing covers. */
static void g_seen(cc_gate_t *g, cc_gate_tag_e t, const apr_array_header_t *attrs,
                   const char *raw)
{
    unsigned kind = t == T_SCRIPT ? 1 : t == T_IFRAME ? 2 : 0;

    if (t == T_IMG && g_pixel(attrs)) {
        kind = 4;
    }
    if (!kind || g_covered(g, raw)) {
        return;
    }
    g->seen_fn(g->seen_baton, kind, cc_gate_resolve(g->p, g->origin, g->path,
                                                    g_unescape_amp(g->p, raw)));
}

/* Some refused row has BlockInline texts: inline scripts must be read. */
static int g_inline_wanted(const cc_gate_t *g)
{
    return g->tail_max > 0;
}

/* The refused row whose BlockInline text ends first in [s, s + n) (so that the answer does not
 * depend on where the chunks end), the first row on a tie; NULL when none is there. */
static const cc_cookie_decl_t *g_inline_row(cc_gate_t *g, const char *s, apr_size_t n)
{
    const cc_cookie_decl_t *best = NULL;
    apr_size_t best_end = 0;
    const char *at;
    int i, j;

    for (i = 0; i < g->d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(g->d->cookies, i, const cc_cookie_decl_t *);
        if (!row->block_inline || g_allowed(g, row->category_index)) {
            continue;
        }
        for (j = 0; j < row->block_inline->nelts; j++) {
            const char *t = APR_ARRAY_IDX(row->block_inline, j, const char *);
            apr_size_t tl = strlen(t);
            if (tl <= n && (at = memmem(s, n, t, tl))
                && (!best || (apr_size_t)(at - s) + tl < best_end)) {
                best = row;
                best_end = (apr_size_t)(at - s) + tl;
            }
        }
    }
    return best;
}

/* A script type that browsers run (HTML "JavaScript MIME type essence match", or module). */
static int g_runs_as_script(const char *type)
{
    static const char *const js[] = {
        "", "module", "text/javascript", "application/javascript", "application/ecmascript",
        "application/x-ecmascript", "application/x-javascript", "text/ecmascript",
        "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
        "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
        "text/x-ecmascript", "text/x-javascript", NULL
    };
    const char *b = type, *e;
    int i;

    if (!type) {
        return 1;
    }
    while (g_space(*b)) {
        b++;
    }
    for (e = b + strlen(b); e > b && g_space(e[-1]); e--) {
    }
    for (i = 0; js[i]; i++) {
        if ((apr_size_t)(e - b) == strlen(js[i]) && !strncasecmp(b, js[i], (apr_size_t)(e - b))) {
            return 1;
        }
    }
    return 0;
}

static int g_link_loads(apr_pool_t *p, const apr_array_header_t *attrs)
{
    const g_attr_t *rel = g_attr(attrs, "rel");
    static const char *const kinds[] = {"stylesheet", "preload", "prefetch", "modulepreload",
                                        NULL};
    char *copy, *tok, *last;
    int i;

    if (!rel) {
        return 0;
    }
    copy = apr_pstrdup(p, rel->value);
    for (tok = apr_strtok(copy, " \t\r\n\f", &last); tok; tok = apr_strtok(NULL, " \t\r\n\f",
                                                                            &last)) {
        for (i = 0; kinds[i]; i++) {
            if (!strcasecmp(tok, kinds[i])) {
                return 1;
            }
        }
    }
    return 0;
}

/* The attribute that carries the URL, and the data-cc-* one it moves to. */
static const char *g_url_attr(cc_gate_tag_e t)
{
    return t == T_LINK ? "href" : t == T_OBJECT ? "data" : "src";
}

/* ------------------------------------------------------------------------------------------ */
/* Rewriting                                                                                    */

static const char *g_tag_name(cc_gate_tag_e t)
{
    static const char *const names[] = {"", "script", "iframe", "img", "link", "embed", "object"};
    return names[t];
}

static int g_is(const g_attr_t *a, const char *const *names)
{
    int i;

    for (i = 0; names[i]; i++) {
        if (!strcmp(a->name, names[i])) {
            return 1;
        }
    }
    return 0;
}

/* The placeholder shown instead of a held iframe, in the visitor's language. */
static const char *g_placeholder(cc_gate_t *g, const cc_cookie_decl_t *row, int category)
{
    const cc_render_t *rc = g->rc;
    const cc_category_t *cat = APR_ARRAY_IDX(g->d->categories, category, const cc_category_t *);
    const char *title = cc_text_pick(cat->titles, rc->lang);
    cc_sb_t sb;

    cc_sb_init(&sb, g->p, 768);
    cc_sb_cat(&sb, "<div class=\"cc-root cc-placeholder\" data-cc-placeholder=\"", NULL);
    cc_sb_esc(&sb, cat->name);
    cc_sb_cat(&sb, "\" lang=\"", NULL);
    cc_sb_esc(&sb, rc->lang);
    cc_sb_cat(&sb, "\"><p class=\"cc-text\">", NULL);
    cc_sb_esc(&sb, apr_psprintf(g->p, cc_i18n_site(rc->decl->ui_texts, rc->lang, CC_S_PLACEHOLDER),
                                row ? row->label : cat->name, title ? title : cat->name));
    cc_sb_cat(&sb, "</p><form method=\"post\" action=\"", NULL);
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_cat(&sb, "/consent\"><input type=\"hidden\" name=\"category\" value=\"", NULL);
    cc_sb_esc(&sb, cat->name);
    cc_sb_cat(&sb, "\"><input type=\"hidden\" name=\"return\" value=\"", NULL);
    cc_sb_esc(&sb, rc->return_path ? rc->return_path : "/");
    cc_sb_cat(&sb, "\"><button type=\"submit\" class=\"cc-btn\" name=\"action\" value=\"allow\">",
              NULL);
    cc_sb_esc(&sb, cc_i18n_site(rc->decl->ui_texts, rc->lang, CC_S_ALLOW_LOAD));
    cc_sb_cat(&sb, "</button></form><p class=\"cc-links\"><a href=\"", NULL);
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_cat(&sb, "/policy?lang=", NULL);
    cc_sb_esc(&sb, rc->lang);
    cc_sb_cat(&sb, "\">", NULL);
    cc_sb_esc(&sb, cc_i18n_site(rc->decl->ui_texts, rc->lang, CC_S_POLICY_LINK));
    cc_sb_cat(&sb, "</a></p></div>", NULL);
    return cc_sb_str(&sb);
}

/* The captured tag ended with "/>" (kept: some pages are served to XML tools too). */
static int g_self_closing(const cc_gate_t *g)
{
    const char *s = g->buf.data;
    apr_size_t n = g->buf.len;

    return n >= 2 && s[n - 1] == '>' && s[n - 2] == '/';
}

/* The start tag of a held element. */
static const char *g_held_tag(cc_gate_t *g, cc_gate_tag_e t, const apr_array_header_t *attrs,
                              const char *category)
{
    static const char *const script_drop[] = {"src", "type", "data-cookieconsent", NULL};
    static const char *const img_drop[] = {"src", "srcset", "data-cookieconsent", NULL};
    static const char *const url_drop[] = {"src", "href", "data", "data-cookieconsent", NULL};
    const g_attr_t *a = (const g_attr_t *)attrs->elts, *u, *ty, *ss;
    const char *const *drop = t == T_SCRIPT ? script_drop : t == T_IMG ? img_drop : url_drop;
    cc_sb_t sb;
    int i;

    cc_sb_init(&sb, g->p, 256);
    cc_sb_cat(&sb, "<", g_tag_name(t), NULL);
    if (t == T_SCRIPT) {
        cc_sb_add(&sb, " type=\"text/plain\"");
    }
    g_add_attr(&sb, "data-cookieconsent", category);
    if ((u = g_attr(attrs, g_url_attr(t)))) {
        g_add_attr(&sb, apr_pstrcat(g->p, "data-cc-", u->name, NULL), u->value);
    }
    if (t == T_SCRIPT && (ty = g_attr(attrs, "type"))) {
        g_add_attr(&sb, "data-cc-type", ty->value);
    }
    if (t == T_IMG && (ss = g_attr(attrs, "srcset"))) {
        g_add_attr(&sb, "data-cc-srcset", ss->value);
    }
    for (i = 0; i < attrs->nelts; i++) {
        if (!g_is(&a[i], drop) && g_attr(attrs, a[i].name) == &a[i]) {
            cc_sb_add(&sb, " ");
            cc_sb_addn(&sb, a[i].raw, a[i].raw_len);
        }
    }
    cc_sb_add(&sb, g_self_closing(g) ? " />" : ">");
    return cc_sb_str(&sb);
}

/* The start tag of manual markup of an allowed category, as the author meant it to load. */
static const char *g_active_tag(cc_gate_t *g, cc_gate_tag_e t, const apr_array_header_t *attrs)
{
    const g_attr_t *a = (const g_attr_t *)attrs->elts, *ty = g_attr(attrs, "type");
    const g_attr_t *cct = g_attr(attrs, "data-cc-type");
    cc_sb_t sb;
    int i;

    cc_sb_init(&sb, g->p, 256);
    cc_sb_cat(&sb, "<", g_tag_name(t), NULL);
    if (t == T_SCRIPT && cct && *cct->value) {
        g_add_attr(&sb, "type", cct->value);
    }
    for (i = 0; i < attrs->nelts; i++) {
        const char *n = a[i].name;
        if (g_attr(attrs, n) != &a[i]) {
            continue;
        }
        if (t == T_SCRIPT && (&a[i] == ty || &a[i] == cct)) {
            continue;               /* type="text/plain" goes, data-cc-type became the type */
        }
        if (!strncmp(n, "data-cc-", 8) && (!strcmp(n + 8, "src") || !strcmp(n + 8, "href")
                                           || !strcmp(n + 8, "data")
                                           || !strcmp(n + 8, "srcset"))) {
            g_add_attr(&sb, n + 8, a[i].value);
            continue;
        }
        cc_sb_add(&sb, " ");
        cc_sb_addn(&sb, a[i].raw, a[i].raw_len);
    }
    cc_sb_add(&sb, g_self_closing(g) ? " />" : ">");
    return cc_sb_str(&sb);
}

static int g_category_of(const cc_gate_t *g, const char *name)
{
    const char *b = name, *e;

    while (g_space(*b)) {
        b++;
    }
    for (e = b + strlen(b); e > b && g_space(e[-1]); e--) {
    }
    return cc_decl_category_index(g->d, apr_pstrmemdup(g->p, b, (apr_size_t)(e - b)));
}

/* The '>' of a captured start tag: decide. */
static void g_decide(cc_gate_t *g)
{
    const char *text = cc_sb_str(&g->buf);
    apr_array_header_t *attrs = g_attrs(g->p, text, g->buf.len);
    const g_attr_t *manual = g_attr(attrs, "data-cookieconsent"), *u, *ty;
    const cc_cookie_decl_t *row = NULL;
    apr_off_t end = g->pos;
    int cat;
    cc_gate_tag_e t = g->tag;

    if (manual) {
        if ((cat = g_category_of(g, manual->value)) < 0) {
            return;                 /* an unknown category: left as written (inert) */
        }
        if (g_allowed(g, cat)) {
            g_edit(g, g->tag_start, end, g_active_tag(g, t, attrs));
        }
        else if (t == T_IFRAME) {
            g_edit(g, g->tag_start, g->tag_start, g_placeholder(g, NULL, cat));
        }
        return;
    }
    u = g_attr(attrs, g_url_attr(t));
    if (t == T_LINK && !g_link_loads(g->p, attrs)) {
        return;
    }
    if (t == T_SCRIPT) {
        ty = g_attr(attrs, "type");
        if (!g_runs_as_script(ty ? ty->value : NULL)) {
            return;                 /* JSON-LD, templates: data, not code */
        }
        if (!u && g_inline_wanted(g)) {
            g->inline_check = 1;
            g->inline_start = g->tag_start;
            g->inline_end = end;
            g->inline_text = apr_pstrmemdup(g->p, text, g->buf.len);
            g->inline_len = 0;
            g->tail_len = 0;
            return;
        }
    }
    if (u && *u->value) {
        row = g_blocking_row(g, u->value);
    }
    if (!row && g->seen_fn && u && *u->value) {
        g_seen(g, t, attrs, u->value);
    }
    if (!row && t == T_IMG && (u = g_attr(attrs, "srcset")) && *u->value) {
        row = g_blocking_row(g, u->value);
    }
    if (!row) {
        return;
    }
    cat = row->category_index;
    g->held++;
    if (t == T_IFRAME) {
        g_edit(g, g->tag_start, end, apr_pstrcat(g->p, g_placeholder(g, row, cat),
                                                 g_held_tag(g, t, attrs, row->category), NULL));
    }
    else {
        g_edit(g, g->tag_start, end, g_held_tag(g, t, attrs, row->category));
    }
}

/* Script text of an inline script under examination: [s, s + n) was just read. */
static void g_inline_text(cc_gate_t *g, const char *s, apr_size_t n)
{
    const cc_cookie_decl_t *row;
    char *joined;
    apr_size_t keep;

    if (!n) {
        return;
    }
    joined = apr_palloc(g->p, g->tail_len + n);
    memcpy(joined, g->tail, g->tail_len);
    memcpy(joined + g->tail_len, s, n);
    if ((row = g_inline_row(g, joined, g->tail_len + n))) {
        apr_array_header_t *attrs = g_attrs(g->p, g->inline_text, strlen(g->inline_text));
        g_edit(g, g->inline_start, g->inline_end,
               g_held_tag(g, T_SCRIPT, attrs, row->category));
        g->held++;
        g->inline_check = 0;
        return;
    }
    g->inline_len += n;
    if (g->inline_len > CC_GATE_INLINE_MAX) {
        g->overlong++;
        g->inline_check = 0;
        return;
    }
    keep = g->tail_len + n < g->tail_max ? g->tail_len + n : g->tail_max;
    memcpy(g->tail, joined + g->tail_len + n - keep, keep);
    g->tail_len = keep;
}

/* ------------------------------------------------------------------------------------------ */
/* The tokenizer                                                                                */

cc_gate_t *cc_gate_create(apr_pool_t *p, const cc_render_t *rc, const char *origin,
                          const char *path)
{
    cc_gate_t *g = apr_pcalloc(p, sizeof(*g));
    apr_size_t longest = 0;
    int i, j;

    g->p = p;
    g->rc = rc;
    g->d = rc->decl;
    g->allowed = rc->dec->allowed;
    g->origin = origin;
    g->path = path;
    g->edits = apr_array_make(p, 4, sizeof(cc_gate_edit_t));
    cc_sb_init(&g->buf, p, 256);
    for (i = 0; i < g->d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(g->d->cookies, i, const cc_cookie_decl_t *);
        if (!row->block_inline || g_allowed(g, row->category_index)) {
            continue;
        }
        for (j = 0; j < row->block_inline->nelts; j++) {
            apr_size_t n = strlen(APR_ARRAY_IDX(row->block_inline, j, const char *));
            longest = n > longest ? n : longest;
        }
    }
    if (longest) {
        g->tail_max = longest - 1 ? longest - 1 : 1;
        g->tail = apr_palloc(p, g->tail_max);
    }
    return g;
}

/* The name of a start or end tag is complete. */
static void g_name_done(cc_gate_t *g)
{
    g->tag = g_tag_kind(g);
    if (g->tag == T_SCRIPT && g->head_text && !g->head_done) {
        g_edit(g, g->tag_start, g->tag_start, g->head_text);    /* no <head> before it */
        g->head_done = 1;
    }
    if (g->tag == T_OTHER) {
        g->capture = 0;
    }
}

/* The '>' of a tag. */
static void g_tag_end(cc_gate_t *g)
{
    int i;

    g->state = G_DATA;
    if (g->capture) {
        g->capture = 0;
        g_decide(g);
    }
    if (g->is_end) {
        return;
    }
    if (g->head_text && !g->head_done && g_name_is(g, "head")) {
        g_edit(g, g->pos, g->pos, g->head_text);
        g->head_done = 1;
    }
    if (g_name_is(g, "plaintext")) {
        g->state = G_PLAINTEXT;
        return;
    }
    for (i = 0; g_raw_elements[i]; i++) {
        if (g_name_is(g, g_raw_elements[i])) {
            g->state = G_RAW;
            g->raw_end = g_raw_elements[i];
            g->raw_matched = 0;
            return;
        }
    }
}

static void g_capture(cc_gate_t *g, const char *s, apr_size_t n)
{
    if (!g->capture) {
        return;
    }
    if (g->buf.len + n > CC_GATE_TAG_MAX) {
        g->capture = 0;             /* left as it is */
        g->overlong++;
        return;
    }
    cc_sb_addn(&g->buf, s, n);
}

/* One byte inside a tag, after its name started. */
static void g_tag_byte(cc_gate_t *g, char c)
{
    switch (g->state) {
    case G_TAG_NAME:
        if (c == '>' || g_space(c) || c == '/') {
            g_name_done(g);
            if (c == '>') {
                g_capture(g, &c, 1);
                g_tag_end(g);
                return;
            }
            g->state = G_BEFORE_ATTR;
        }
        else if (g->name_len < CC_GATE_NAME_MAX) {
            g->name[g->name_len++] = g_lower(c);
        }
        else {
            g->name_len = CC_GATE_NAME_MAX + 1;     /* longer than any name we look for */
        }
        break;
    case G_BEFORE_ATTR:
    case G_AFTER_ATTR_NAME:
        if (c == '=' && g->state == G_AFTER_ATTR_NAME) {
            g->state = G_BEFORE_VALUE;
        }
        else if (!g_space(c) && c != '/' && c != '>') {
            g->state = G_ATTR_NAME;
        }
        break;
    case G_ATTR_NAME:
        if (c == '=') {
            g->state = G_BEFORE_VALUE;
        }
        else if (g_space(c) || c == '/') {
            g->state = G_AFTER_ATTR_NAME;
        }
        break;
    case G_BEFORE_VALUE:
        if (c == '"') {
            g->state = G_VALUE_DQ;
        }
        else if (c == '\'') {
            g->state = G_VALUE_SQ;
        }
        else if (!g_space(c) && c != '>') {
            g->state = G_VALUE_UNQ;
        }
        break;
    case G_VALUE_UNQ:
        if (g_space(c)) {
            g->state = G_BEFORE_ATTR;
        }
        break;
    }
    g_capture(g, &c, 1);
    if (c == '>' && g->state != G_VALUE_DQ && g->state != G_VALUE_SQ) {
        g_tag_end(g);
    }
}

/* In raw text: "</name" then a space, '/' or '>' ends it (case-insensitive). Returns 1 at the
 * byte that ends the raw text (the state is then the end tag's attributes). */
static int g_raw_byte(cc_gate_t *g, char c)
{
    apr_size_t n = strlen(g->raw_end);

    if (g->raw_matched == 0) {
        g->raw_matched = (c == '<');
    }
    else if (g->raw_matched == 1) {
        g->raw_matched = (c == '/') ? 2 : (c == '<');
    }
    else if (g->raw_matched < n + 2) {
        if (g_lower(c) == g->raw_end[g->raw_matched - 2]) {
            g->raw_matched++;
        }
        else {
            g->raw_matched = (c == '<');
        }
    }
    else if (g_space(c) || c == '/' || c == '>') {
        g->raw_matched = 0;
        g->is_end = 1;
        g->capture = 0;
        g->state = (c == '>') ? G_DATA : G_BEFORE_ATTR;
        return 1;
    }
    else {
        g->raw_matched = (c == '<');
    }
    return 0;
}

/* One byte after '<', "</", "<!" or in a comment. */
static void g_markup_byte(cc_gate_t *g, char c)
{
    switch (g->state) {
    case G_TAG_OPEN:
        g->is_end = 0;
        g->name_len = 0;
        if (apr_isalpha(c)) {
            g->name[g->name_len++] = g_lower(c);
            g->state = G_TAG_NAME;
            g->capture = 1;
            g->buf.len = 0;
            g->buf.data[0] = '\0';
            cc_sb_add(&g->buf, "<");
            g_capture(g, &c, 1);
        }
        else if (c == '/') {
            g->state = G_END_TAG_OPEN;
        }
        else if (c == '!') {
            g->state = G_MARKUP_DECL;
        }
        else if (c == '?') {
            g->state = G_BOGUS;
        }
        else {
            g->state = (c == '<') ? G_TAG_OPEN : G_DATA;
            if (c == '<') {
                g->tag_start = g->pos - 1;      /* this '<' (pos is past it) */
            }
        }
        break;
    case G_END_TAG_OPEN:
        g->is_end = 1;
        if (apr_isalpha(c)) {
            g->name[g->name_len++] = g_lower(c);
            g->state = G_TAG_NAME;
            g->capture = 0;
        }
        else {
            g->state = (c == '>') ? G_DATA : G_BOGUS;
        }
        break;
    case G_MARKUP_DECL:
        g->state = (c == '-') ? G_COMMENT_START : (c == '>') ? G_DATA : G_BOGUS;
        break;
    case G_COMMENT_START:
        g->dashes = 2;
        g->state = (c == '-') ? G_COMMENT : (c == '>') ? G_DATA : G_BOGUS;
        break;
    case G_COMMENT:
        if (c == '>' && g->dashes >= 2) {
            g->state = G_DATA;
        }
        g->dashes = (c == '-') ? g->dashes + 1 : 0;
        break;
    }
}

/* Moves *p to the next c before end, counting what it skips; 0 (at end) when there is none. */
static int g_skip_to(cc_gate_t *g, const char **p, const char *end, char c)
{
    const char *q = memchr(*p, c, (apr_size_t)(end - *p));

    g->pos += (q ? q : end) - *p;
    *p = q ? q : end;
    return q != NULL;
}

void cc_gate_feed(cc_gate_t *g, const char *buf, apr_size_t len)
{
    const char *p = buf, *end = buf + len, *q;

    while (p < end) {
        switch (g->state) {
        case G_DATA:
            q = memchr(p, '<', (apr_size_t)(end - p));
            if (!q) {
                g->pos += end - p;
                return;
            }
            g->pos += q - p + 1;
            g->tag_start = g->pos - 1;
            p = q + 1;
            g->state = G_TAG_OPEN;
            continue;
        case G_PLAINTEXT:
            g->pos += end - p;
            return;
        case G_BOGUS:
            if (!g_skip_to(g, &p, end, '>')) {
                return;
            }
            g->pos++;
            p++;
            g->state = G_DATA;
            continue;
        case G_RAW:
            if (g->inline_check) {
                /* Read up to the end tag (or the chunk's end) and look for the texts there. */
                const char *s = p;
                int ended = 0;
                while (p < end && !ended) {
                    g->pos++;
                    ended = g_raw_byte(g, *p++);
                }
                g_inline_text(g, s, (apr_size_t)(p - s));
                if (ended) {
                    g->inline_check = 0;
                }
                continue;
            }
            if (g->raw_matched == 0 && !g_skip_to(g, &p, end, '<')) {
                return;
            }
            g->pos++;
            g_raw_byte(g, *p++);
            continue;
        case G_COMMENT:
            if (g->dashes == 0 && !g_skip_to(g, &p, end, '-')) {
                return;
            }
            g->pos++;
            g_markup_byte(g, *p++);
            continue;
        case G_TAG_OPEN:
        case G_END_TAG_OPEN:
        case G_MARKUP_DECL:
        case G_COMMENT_START:
            g->pos++;
            g_markup_byte(g, *p++);
            continue;
        case G_VALUE_DQ:
        case G_VALUE_SQ:
            /* Attribute values (URLs, JSON) can be long: skip to the closing quote. */
            q = memchr(p, g->state == G_VALUE_DQ ? '"' : '\'', (apr_size_t)(end - p));
            if (!q) {
                g_capture(g, p, (apr_size_t)(end - p));
                g->pos += end - p;
                return;
            }
            g_capture(g, p, (apr_size_t)(q - p + 1));
            g->pos += q - p + 1;
            p = q + 1;
            g->state = G_BEFORE_ATTR;
            continue;
        default:
            g->pos++;
            g_tag_byte(g, *p++);
            continue;
        }
    }
}

void cc_gate_end(cc_gate_t *g)
{
    g->inline_check = 0;
    g->capture = 0;
    g->state = G_DATA;
}

void cc_gate_set_head(cc_gate_t *g, const char *text)
{
    g->head_text = text;
    g->head_done = 0;
}

int cc_gate_finished(const cc_gate_t *g)
{
    return !g->d->gated_mask && (!g->head_text || g->head_done) && !g->seen_fn;
}

void cc_gate_on_element(cc_gate_t *g, cc_gate_seen_fn *fn, void *baton)
{
    g->seen_fn = fn;
    g->seen_baton = baton;
}

int cc_gate_held(const cc_gate_t *g)
{
    return g->held;
}

apr_off_t cc_gate_hold(const cc_gate_t *g)
{
    if (g->inline_check) {
        return g->inline_start;
    }
    if (g->state == G_TAG_OPEN || (g->state == G_TAG_NAME && !g->is_end) || g->capture) {
        return g->tag_start;
    }
    return -1;
}

apr_array_header_t *cc_gate_edits(cc_gate_t *g)
{
    return g->edits;
}

int cc_gate_overlong(const cc_gate_t *g)
{
    return g->overlong;
}

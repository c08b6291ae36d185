/* cc_decl.c - the site's cookie declarations. */
#include "cc_decl.h"
#include "cc_cookie.h"
#include "cc_glob.h"

#include <apr_sha1.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#define CC_CAT(d, i) (APR_ARRAY_IDX((d)->categories, (i), cc_category_t *))
#define CC_ROW(d, i) (APR_ARRAY_IDX((d)->cookies, (i), cc_cookie_decl_t *))

int cc_decl_category_index(const cc_decl_t *d, const char *name)
{
    int i;

    for (i = 0; i < d->categories->nelts; i++) {
        if (!strcmp(CC_CAT(d, i)->name, name)) {
            return i;
        }
    }
    return -1;
}

static const char *cc_category_list(apr_pool_t *p, const cc_decl_t *d)
{
    const char *list = "";
    int i;

    for (i = 0; i < d->categories->nelts; i++) {
        list = apr_pstrcat(p, list, i ? ", " : "", CC_CAT(d, i)->name, NULL);
    }
    return *list ? list : "none";
}

static const char *cc_resolve_rows(apr_pool_t *p, cc_decl_t *d)
{
    int i;

    for (i = 0; i < d->cookies->nelts; i++) {
        cc_cookie_decl_t *row = CC_ROW(d, i);
        if (!row->category) {
            return apr_psprintf(p, "CookieConsentCookie \"%s\" (%s): no Category", row->label,
                                row->where);
        }
        row->category_index = cc_decl_category_index(d, row->category);
        if (row->category_index < 0) {
            return apr_psprintf(p, "CookieConsentCookie \"%s\" (%s): unknown category \"%s\" "
                                "(declared: %s)", row->label, row->where, row->category,
                                cc_category_list(p, d));
        }
    }
    return NULL;
}

/* The same pattern in two categories would make the table say two things about one cookie. */
static const char *cc_check_patterns(apr_pool_t *p, const cc_decl_t *d)
{
    int i, j, a, b;

    for (i = 0; i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *r1 = CC_ROW(d, i);
        for (j = i + 1; j < d->cookies->nelts; j++) {
            const cc_cookie_decl_t *r2 = CC_ROW(d, j);
            if (r1->category_index == r2->category_index) {
                continue;
            }
            for (a = 0; a < r1->names->nelts; a++) {
                const char *n1 = APR_ARRAY_IDX(r1->names, a, const char *);
                for (b = 0; b < r2->names->nelts; b++) {
                    if (!strcmp(n1, APR_ARRAY_IDX(r2->names, b, const char *))) {
                        return apr_psprintf(p, "CookieConsentCookie \"%s\" (%s): name \"%s\" is "
                                            "already declared in category \"%s\" by \"%s\"",
                                            r2->label, r2->where, n1, r1->category, r1->label);
                    }
                }
            }
        }
    }
    return NULL;
}

static void cc_fingerprint(cc_decl_t *d)
{
    static const char hex[] = "0123456789abcdef";
    apr_sha1_ctx_t sha;
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    int i, j;

    /* Only what changes the meaning of a consent goes in: texts can be reworded freely. Fields are
     * NUL-terminated so that ("ab","c") and ("a","bc") differ. */
    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, (const unsigned char *)"cc1", 4);
    for (i = 0; i < d->categories->nelts; i++) {
        const cc_category_t *c = CC_CAT(d, i);
        apr_sha1_update_binary(&sha, (const unsigned char *)c->name, strlen(c->name) + 1);
        apr_sha1_update_binary(&sha, (const unsigned char *)(c->required ? "R" : "O"), 2);
    }
    for (i = 0; i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = CC_ROW(d, i);
        apr_sha1_update_binary(&sha, (const unsigned char *)row->category,
                               strlen(row->category) + 1);
        for (j = 0; j < row->names->nelts; j++) {
            const char *n = APR_ARRAY_IDX(row->names, j, const char *);
            apr_sha1_update_binary(&sha, (const unsigned char *)n, strlen(n) + 1);
        }
        apr_sha1_update_binary(&sha, (const unsigned char *)"D", 2);
        for (j = 0; row->domains && j < row->domains->nelts; j++) {
            const char *n = APR_ARRAY_IDX(row->domains, j, const char *);
            apr_sha1_update_binary(&sha, (const unsigned char *)n, strlen(n) + 1);
        }
        apr_sha1_update_binary(&sha, (const unsigned char *)row->path, strlen(row->path) + 1);
    }
    if (d->revision) {
        apr_sha1_update_binary(&sha, (const unsigned char *)d->revision,
                               strlen(d->revision) + 1);
    }
    apr_sha1_final(digest, &sha);
    for (i = 0; i < CC_FINGERPRINT_LEN / 2; i++) {
        d->fingerprint[2 * i] = hex[digest[i] >> 4];
        d->fingerprint[2 * i + 1] = hex[digest[i] & 15];
    }
    d->fingerprint[CC_FINGERPRINT_LEN] = '\0';
}

int cc_gcm_signal_known(const char *signal)
{
    static const char *const known[] = {
        "ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
        "functionality_storage", "personalization_storage", NULL
    };
    int i;

    for (i = 0; known[i]; i++) {
        if (!strcmp(signal, known[i])) {
            return 1;
        }
    }
    return 0;
}

static const char *cc_names_of(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t mask)
{
    apr_size_t len = 0, n;
    char *out, *w;
    int i;

    for (i = 0; i < d->categories->nelts; i++) {
        if (mask & (1u << i)) {
            len += strlen(CC_CAT(d, i)->name) + 1;
        }
    }
    w = out = apr_palloc(p, len + 1);
    for (i = 0; i < d->categories->nelts; i++) {
        if (mask & (1u << i)) {
            if (w > out) {
                *w++ = ' ';
            }
            n = strlen(CC_CAT(d, i)->name);
            memcpy(w, CC_CAT(d, i)->name, n);
            w += n;
        }
    }
    *w = '\0';
    return out;
}

const char *cc_decl_category_names(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t mask)
{
    mask &= d->required_mask | d->optional_mask;
    if (d->cat_lists) {
        return d->cat_lists[mask];
    }
    return cc_names_of(p, d, mask);
}

/* The lookups of every request, built once: literal names in a hash, wildcard patterns in a
 * list, the category lists of every mask when there are few categories. */
static void cc_decl_compile(apr_pool_t *p, cc_decl_t *d)
{
    int i, j;

    d->exact = apr_hash_make(p);
    d->globs = apr_array_make(p, 8, sizeof(cc_name_glob_t));
    for (i = 0; i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *r = CC_ROW(d, i);
        for (j = 0; j < r->names->nelts; j++) {
            const char *n = APR_ARRAY_IDX(r->names, j, const char *);
            if (strpbrk(n, "*?")) {
                cc_name_glob_t *g = apr_array_push(d->globs);
                g->pattern = n;
                g->bit = 1u << r->category_index;
                g->row = i;
                g->lit_len = strcspn(n, "*?");
                g->prefix_only = n[g->lit_len] == '*' && !n[g->lit_len + 1];
            }
            else {
                cc_name_class_t *c = apr_hash_get(d->exact, n, APR_HASH_KEY_STRING);
                if (!c) {
                    c = apr_pcalloc(p, sizeof(*c));
                    c->first_row = i;
                    apr_hash_set(d->exact, n, APR_HASH_KEY_STRING, c);
                }
                c->mask |= 1u << r->category_index;
            }
        }
    }
    d->cat_lists = NULL;
    if (d->categories->nelts <= CC_CAT_LISTS_MAX) {
        apr_uint32_t m, all = 1u << d->categories->nelts;
        const char **lists = apr_palloc(p, sizeof(*lists) * all);
        for (m = 0; m < all; m++) {
            lists[m] = cc_names_of(p, d, m);
        }
        d->cat_lists = lists;
    }
}

const char *cc_decl_finish(apr_pool_t *p, cc_decl_t *d)
{
    const char *err;
    int i;

    if (d->categories->nelts > CC_MAX_CATEGORIES) {
        return apr_psprintf(p, "CookieConsentCategory: %d categories declared, at most %d",
                            d->categories->nelts, CC_MAX_CATEGORIES);
    }
    d->required_mask = d->optional_mask = 0;
    for (i = 0; i < d->categories->nelts; i++) {
        if (CC_CAT(d, i)->required) {
            d->required_mask |= 1u << i;
        }
        else {
            d->optional_mask |= 1u << i;
        }
    }
    if (!d->required_mask) {
        return apr_psprintf(p, "CookieConsentCategory: no required category (declared: %s); "
                            "declare one with \"Required On\" for the cookies the site cannot "
                            "work without", cc_category_list(p, d));
    }
    if ((err = cc_resolve_rows(p, d)) || (err = cc_check_patterns(p, d))) {
        return err;
    }
    for (i = 0; d->gcm && i < d->gcm->nelts; i++) {
        cc_gcm_t *g = &APR_ARRAY_IDX(d->gcm, i, cc_gcm_t);
        int j;
        if ((g->category_index = cc_decl_category_index(d, g->category)) < 0) {
            return apr_psprintf(p, "CookieConsentGoogleConsent (%s): unknown category \"%s\" "
                                "(declared: %s)", g->where, g->category, cc_category_list(p, d));
        }
        for (j = 0; j < i; j++) {
            if (!strcmp(APR_ARRAY_IDX(d->gcm, j, cc_gcm_t).signal, g->signal)) {
                return apr_psprintf(p, "CookieConsentGoogleConsent (%s): %s is already given by "
                                    "category \"%s\"", g->where, g->signal,
                                    APR_ARRAY_IDX(d->gcm, j, cc_gcm_t).category);
            }
        }
    }
    d->gated_mask = 0;
    for (i = 0; i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, i, const cc_cookie_decl_t *);
        if ((row->block && row->block->nelts) || (row->block_inline && row->block_inline->nelts)) {
            d->gated_mask |= 1u << row->category_index;
        }
    }
    cc_fingerprint(d);
    cc_decl_compile(p, d);
    return NULL;
}

apr_uint32_t cc_decl_classify(const cc_decl_t *d, const char *name, const cc_cookie_decl_t **row)
{
    apr_uint32_t mask = 0;
    int i, j;

    if (row) {
        *row = NULL;
    }
    if (d->exact) {
        const cc_name_class_t *c = apr_hash_get(d->exact, name, APR_HASH_KEY_STRING);
        const cc_name_glob_t *g = (const cc_name_glob_t *)d->globs->elts;
        int first = c ? c->first_row : d->cookies->nelts;
        mask = c ? c->mask : 0;
        for (i = 0; i < d->globs->nelts; i++) {
            /* A pattern adds nothing when its category is known and an earlier row matched. */
            if ((mask & g[i].bit) && g[i].row > first) {
                continue;
            }
            /* The literal prefix first: most names differ there ("_pk_id*" and "sessionid"). */
            if (g[i].lit_len && (name[0] != g[i].pattern[0]
                                 || strncmp(name, g[i].pattern, g[i].lit_len))) {
                continue;
            }
            if (g[i].prefix_only || cc_glob_match(g[i].pattern + g[i].lit_len,
                                                  name + g[i].lit_len)) {
                mask |= g[i].bit;
                if (g[i].row < first) {
                    first = g[i].row;
                }
            }
        }
        if (row && first < d->cookies->nelts) {
            *row = CC_ROW(d, first);
        }
        return mask;
    }
    for (i = 0; i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *r = CC_ROW(d, i);
        if (mask & (1u << r->category_index)) {
            continue;
        }
        for (j = 0; j < r->names->nelts; j++) {
            if (cc_glob_match(APR_ARRAY_IDX(r->names, j, const char *), name)) {
                mask |= 1u << r->category_index;
                if (row && !*row) {
                    *row = r;
                }
                break;
            }
        }
    }
    return mask;
}

int cc_domain_match(const char *host, const char *domain)
{
    apr_size_t hl = strlen(host), dl = strlen(domain);

    if (!dl || hl < dl) {
        return 0;
    }
    if (strcasecmp(host + hl - dl, domain)) {
        return 0;
    }
    return hl == dl || host[hl - dl - 1] == '.';
}

apr_array_header_t *cc_decl_expiries(apr_pool_t *p, const cc_cookie_decl_t *row, const char *name,
                                     const char *host, int https)
{
    apr_array_header_t *out = apr_array_make(p, 2, sizeof(const char *));
    const char *path = row ? row->path : "/";
    int host_prefix = !strncmp(name, "__Host-", 7);
    int secure = https || host_prefix || !strncmp(name, "__Secure-", 9);
    int i;

    /* __Host- cookies are always host-only with Path=/, whatever the declaration says. */
    APR_ARRAY_PUSH(out, const char *) = cc_cookie_expiry(p, name, NULL,
                                                         host_prefix ? "/" : path, secure);
    if (!row || !row->domains || host_prefix || !host) {
        return out;
    }
    for (i = 0; i < row->domains->nelts; i++) {
        const char *dom = APR_ARRAY_IDX(row->domains, i, const char *);
        /* A browser refuses a Domain the host is not part of, so such a header is noise. */
        if (cc_domain_match(host, dom)) {
            APR_ARRAY_PUSH(out, const char *) = cc_cookie_expiry(p, name, dom, path, secure);
        }
    }
    return out;
}

const char *cc_text_pick(const apr_array_header_t *texts, const char *lang)
{
    const cc_text_t *t;
    int i;

    if (!texts || !texts->nelts) {
        return NULL;
    }
    t = (const cc_text_t *)texts->elts;
    for (i = 0; lang && i < texts->nelts; i++) {
        if (!strcasecmp(t[i].lang, lang)) {
            return t[i].text;
        }
    }
    for (i = 0; i < texts->nelts; i++) {
        if (!*t[i].lang) {
            return t[i].text;
        }
    }
    return t[0].text;
}

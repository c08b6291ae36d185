/* cc_decl.h - the site's cookie declarations: categories, cookie rows, fingerprint, lookups. */
#ifndef CC_DECL_H
#define CC_DECL_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <apr_tables.h>

#define CC_MAX_CATEGORIES 32
#define CC_FINGERPRINT_LEN 12
/* Up to this many categories, the space-separated lists of every mask are built at startup. */
#define CC_CAT_LISTS_MAX 8

/* A text with an optional language tag; lang is "" for the default language. */
typedef struct {
    const char *lang;
    const char *text;
} cc_text_t;

typedef struct {
    const char *name;                  /* [a-z][a-z0-9_-]* */
    int required;                      /* always allowed, shown locked */
    apr_array_header_t *titles;        /* cc_text_t */
    apr_array_header_t *descriptions;  /* cc_text_t */
    apr_array_header_t *summaries;     /* cc_text_t: Summary, the first layer's line; may be NULL */
    const char *where;                 /* "file:line" for messages */
} cc_category_t;

typedef struct {
    const char *label;                 /* the row's name, e.g. "Piwik Analytics" */
    const char *category;
    apr_array_header_t *names;         /* const char *, glob patterns */
    apr_array_header_t *domains;       /* const char *, without a leading dot */
    const char *path;                  /* default "/" */
    apr_int64_t retention;             /* seconds, 0 = session, -1 = not given */
    const char *retention_text;        /* as written, for display */
    apr_array_header_t *purposes;      /* cc_text_t */
    const char *where;
    int category_index;                /* filled by cc_decl_finish */
    apr_array_header_t *block;         /* const char *: Block URL globs, NULL when none */
    apr_array_header_t *block_inline;  /* const char *: BlockInline texts, NULL when none */
} cc_cookie_decl_t;

/* CookieConsentGoogleConsent CATEGORY SIGNAL...: one Google consent signal a category grants. */
typedef struct {
    const char *category;
    const char *signal;                /* analytics_storage, ad_storage, ... */
    int category_index;                /* filled by cc_decl_finish */
    const char *where;
} cc_gcm_t;

/* CookieConsentText LANG KEY "text": one interface string of the site, in place of the built-in
 * one (cc_i18n.h); key is a cc_string_e. */
typedef struct {
    const char *lang;
    int key;
    const char *text;
    const char *where;                 /* "file:line" for messages */
} cc_ui_text_t;

typedef struct {
    apr_array_header_t *categories;    /* cc_category_t * */
    apr_array_header_t *cookies;       /* cc_cookie_decl_t * */
    const char *revision;              /* CookieConsentRevision, may be NULL */
    const char *consent_name;          /* the consent cookie, always allowed */
    int undeclared_allow;              /* CookieConsentUndeclared allow */
    apr_uint32_t required_mask;        /* bit i: category i is required */
    apr_uint32_t optional_mask;
    apr_uint32_t gated_mask;           /* categories with a Block or BlockInline row */
    apr_array_header_t *gcm;           /* cc_gcm_t: Google Consent Mode signals, NULL = off */
    apr_array_header_t *ui_texts;      /* cc_ui_text_t: CookieConsentText, NULL when none */
    char fingerprint[CC_FINGERPRINT_LEN + 1];
    /* Built by cc_decl_finish for the lookups of every request (NULL before): */
    apr_hash_t *exact;                 /* literal name -> cc_name_class_t */
    apr_array_header_t *globs;         /* cc_name_glob_t: the patterns with a wildcard */
    const char **cat_lists;            /* [mask]: its categories' names, NULL past the max */
} cc_decl_t;

/* What the literal Names of the rows say about one name. */
typedef struct {
    apr_uint32_t mask;                 /* the categories of the rows that list it */
    int first_row;                     /* the first of those rows */
} cc_name_class_t;

/* A Names pattern with a '*' or '?', in row order. */
typedef struct {
    const char *pattern;
    apr_uint32_t bit;                  /* its row's category */
    int row;
    apr_size_t lit_len;                /* bytes before the first wildcard: a name must start so */
    int prefix_only;                   /* the pattern is that prefix and one '*' */
} cc_name_glob_t;

/* Checks cross references, computes masks, category indexes and the fingerprint. Returns NULL or
 * an error sentence naming the directive and the problem. */
const char *cc_decl_finish(apr_pool_t *p, cc_decl_t *d);

/* The Google Consent Mode v2 signals this module knows (security_storage is always granted). */
int cc_gcm_signal_known(const char *signal);

/* Index of the category called name, or -1. */
int cc_decl_category_index(const cc_decl_t *d, const char *name);

/* Which categories declare the cookie name: returns the mask of their bits (0 = undeclared), and
 * the first matching row in *row (may be NULL). After cc_decl_finish: one hash lookup for the
 * literal names and a match per wildcard pattern. */
apr_uint32_t cc_decl_classify(const cc_decl_t *d, const char *name, const cc_cookie_decl_t **row);

/* The Set-Cookie values that delete the cookie name in every variant a browser may hold for host:
 * host-only, and each declared domain that host belongs to, at the declared path. row may be NULL
 * (undeclared cookie: host-only, Path=/). https adds Secure. */
apr_array_header_t *cc_decl_expiries(apr_pool_t *p, const cc_cookie_decl_t *row, const char *name,
                                     const char *host, int https);

/* 1 when host (no port) equals domain or is a subdomain of it, ignoring case. */
int cc_domain_match(const char *host, const char *domain);

/* The names of the categories in mask, joined by one space ("" for none). */
const char *cc_decl_category_names(apr_pool_t *p, const cc_decl_t *d, apr_uint32_t mask);

/* The text in lang, else the default-language text, else the first one, else NULL. */
const char *cc_text_pick(const apr_array_header_t *texts, const char *lang);

#endif

/* cc_i18n.h - the built-in interface strings (ten languages), the site's own strings
 * (CookieConsentText) and the choice of language. */
#ifndef CC_I18N_H
#define CC_I18N_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "cc_decl.h"

/* Each key has a name for CookieConsentText (cc_i18n_key_name: CC_S_ACCEPT_ALL is
 * "accept_all"). Keys marked "%s" are printf formats with exactly that many %s. */
typedef enum {
    CC_S_BANNER_TITLE,
    CC_S_BANNER_TEXT,
    CC_S_ACCEPT_ALL,
    CC_S_REJECT_ALL,
    CC_S_CUSTOMISE,
    CC_S_POLICY_LINK,
    CC_S_PRIVACY_SETTINGS,
    CC_S_SETTINGS_INTRO,
    CC_S_ALWAYS_ON,
    CC_S_SAVE,
    CC_S_CLOSE,
    CC_S_COL_COOKIE,
    CC_S_COL_DOMAIN,
    CC_S_COL_PURPOSE,
    CC_S_COL_RETENTION,
    CC_S_HOST_ONLY,
    CC_S_POLICY_TITLE,
    CC_S_POLICY_INTRO,
    CC_S_COL_NAME,
    CC_S_COL_TYPE,
    CC_S_COL_WEBSITE,
    CC_S_COL_EXPLANATION,
    CC_S_LIFETIME,              /* "%s" = the consent lifetime */
    CC_S_CHANGE,
    CC_S_SESSION,
    CC_S_DAY,                   /* 1 */
    CC_S_DAYS,                  /* 0, 5..21, 25..., and every other number */
    CC_S_DAYS_FEW,              /* 2-4, 22-24, 32-34... (not 12-14): Polish "2 dni", "3 lata" */
    CC_S_MONTH,
    CC_S_MONTHS,
    CC_S_MONTHS_FEW,
    CC_S_YEAR,
    CC_S_YEARS,
    CC_S_YEARS_FEW,
    CC_S_SAVED,
    CC_S_CURRENT_CHOICE,
    CC_S_NOT_DECIDED,
    CC_S_UNSPECIFIED,
    CC_S_BACK,
    CC_S_COOKIES_OF,            /* "%s" = a category title: label of its cookie table */
    CC_S_PLACEHOLDER,           /* "%s" = the row (service), "%s" = the category's title */
    CC_S_ALLOW_LOAD,
    CC_S_WITHDRAW_RELOADS,      /* the settings layer: why the page reloads on a withdrawal */
    CC_S_RECEIPT,               /* the settings page's link to the receipt */
    CC_S_RECEIPT_TITLE,
    CC_S_RECEIPT_INTRO,
    CC_S_RECEIPT_ID,
    CC_S_RECEIPT_TIME,
    CC_S_RECEIPT_ACTION,
    CC_S_RECEIPT_ACCEPTED,
    CC_S_RECEIPT_REFUSED,
    CC_S_RECEIPT_DECLARATIONS,
    CC_S_RECEIPT_REVISION,
    CC_S_RECEIPT_TEXTS,
    CC_S_RECEIPT_LANG,
    CC_S_RECEIPT_SOURCE,
    CC_S_RECEIPT_PREVIOUS,
    CC_S_RECEIPT_FROM_COOKIE,   /* no stored record (file or piped records, or none) */
    CC_S_RECEIPT_WITHDRAW,
    CC_S_CONTINUE,
    CC_S_COUNT
} cc_string_e;

/* The built-in string in lang (matched by primary subtag: "de-AT" is "de"); English otherwise. */
const char *cc_i18n(const char *lang, cc_string_e id);

/* The site's string: its CookieConsentText for lang (exactly, then by primary subtag) if any
 * (ui: cc_ui_text_t, may be NULL), else the built-in one. */
const char *cc_i18n_site(const apr_array_header_t *ui, const char *lang, cc_string_e id);

/* 1 when the interface has built-in strings for lang. */
int cc_i18n_has(const char *lang);

/* The languages with built-in interface strings ("en", "fr", ...), NULL-terminated, "en" first. */
const char *const *cc_i18n_builtin(void);

/* The key called name ("accept_all", any case), or -1; and the name of a key. */
int cc_i18n_key(const char *name);
const char *cc_i18n_key_name(cc_string_e id);

/* NULL when text can stand for key id, else a sentence saying why not: a format key needs exactly
 * its %s, no other conversion ("%%" is a percent sign); no other key takes a conversion. */
const char *cc_i18n_text_check(apr_pool_t *p, cc_string_e id, const char *text);

/* NULL when every language of ui that has no built-in strings is given every key, else the
 * sentence naming the first such language, where it was first given, and its missing keys. */
const char *cc_i18n_missing(apr_pool_t *p, const apr_array_header_t *ui);

/* The languages offered when CookieConsentLanguages is not set: "en", each language of builtin
 * (NULL-terminated) that at least one Title, Summary, Description or Purpose of d, or a
 * CookieConsentText, is tagged with exactly (case-insensitive), in builtin's order, then the
 * languages of CookieConsentText without built-in strings, in the order given. "en" is first
 * (the default) unless d has no untagged and no "en" text at all: then the first other language
 * with texts is. */
apr_array_header_t *cc_lang_offered(apr_pool_t *p, const cc_decl_t *d,
                                    const char *const *builtin);

/* Picks the language among offered (const char *, first = default): the query's lang, then the
 * site's language cookie, then Accept-Language by q-value; each matched exactly, then by primary
 * subtag. Any argument may be NULL. */
const char *cc_lang_choose(const apr_array_header_t *offered, const char *query_lang,
                           const char *cookie_lang, const char *accept_language);

/* A retention in words, with the site's strings (ui, may be NULL): "session" -> "Session",
 * "25mo" -> "25 months", "180d" -> "180 jours", "2y" -> "2 lata". */
const char *cc_i18n_duration(apr_pool_t *p, const apr_array_header_t *ui, const char *lang,
                             const char *text);

#endif

/* cc_i18n.c - the built-in interface strings and the choice of language. */
#include "cc_i18n.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const cc_en[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Your choice about cookies",
    [CC_S_BANNER_TEXT] = "We use cookies that the site needs to work. With your consent we "
                         "also use optional cookies. You can accept them, reject them or choose "
                         "by purpose, and change your mind at any time from \"Privacy settings\".",
    [CC_S_ACCEPT_ALL] = "Accept all",
    [CC_S_REJECT_ALL] = "Reject all",
    [CC_S_CUSTOMISE] = "Customise",
    [CC_S_POLICY_LINK] = "Cookie policy",
    [CC_S_PRIVACY_SETTINGS] = "Privacy settings",
    [CC_S_SETTINGS_INTRO] = "Choose which cookies this site may use. Necessary cookies cannot be "
                            "switched off. Optional cookies are only used if you switch them on.",
    [CC_S_ALWAYS_ON] = "Always on",
    [CC_S_SAVE] = "Save my choices",
    [CC_S_CLOSE] = "Close",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domain",
    [CC_S_COL_PURPOSE] = "Purpose",
    [CC_S_COL_RETENTION] = "Retention",
    [CC_S_HOST_ONLY] = "this site only",
    [CC_S_POLICY_TITLE] = "Cookie policy",
    [CC_S_POLICY_INTRO] = "This page lists the cookies this site uses, why, and for how long.",
    [CC_S_COL_NAME] = "Name",
    [CC_S_COL_TYPE] = "Type",
    [CC_S_COL_WEBSITE] = "Website",
    [CC_S_COL_EXPLANATION] = "Explanation",
    [CC_S_LIFETIME] = "Your choice is kept for %s, then we ask again. We also ask again when the "
                      "cookies we use change.",
    [CC_S_CHANGE] = "You can change or withdraw your consent at any time with the \"Privacy "
                    "settings\" button at the bottom of every page.",
    [CC_S_SESSION] = "Session",
    [CC_S_DAY] = "day",
    [CC_S_DAYS] = "days",
    [CC_S_MONTH] = "month",
    [CC_S_MONTHS] = "months",
    [CC_S_YEAR] = "year",
    [CC_S_YEARS] = "years",
    [CC_S_SAVED] = "Your choice is saved.",
    [CC_S_CURRENT_CHOICE] = "Your current choice",
    [CC_S_NOT_DECIDED] = "You have not made a choice yet: optional cookies are off.",
    [CC_S_UNSPECIFIED] = "not specified",
    [CC_S_BACK] = "Back to the site",
    [CC_S_COOKIES_OF] = "Cookies: %s",
    [CC_S_PLACEHOLDER] = "This content is provided by %s, which uses cookies of the category "
                         "\"%s\". It is not loaded until you allow them.",
    [CC_S_ALLOW_LOAD] = "Allow and load",
    [CC_S_WITHDRAW_RELOADS] = "Withdrawing a consent reloads the page.",
    [CC_S_RECEIPT] = "Your consent receipt",
    [CC_S_RECEIPT_TITLE] = "Consent receipt",
    [CC_S_RECEIPT_INTRO] = "This is the record of your last choice about cookies on this site.",
    [CC_S_RECEIPT_ID] = "Consent id",
    [CC_S_RECEIPT_TIME] = "Date (UTC)",
    [CC_S_RECEIPT_ACTION] = "Choice",
    [CC_S_RECEIPT_ACCEPTED] = "Categories accepted",
    [CC_S_RECEIPT_REFUSED] = "Categories refused",
    [CC_S_RECEIPT_DECLARATIONS] = "Version of the cookie declarations",
    [CC_S_RECEIPT_REVISION] = "Revision",
    [CC_S_RECEIPT_TEXTS] = "Fingerprint of the texts shown (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Language",
    [CC_S_RECEIPT_SOURCE] = "Where you chose",
    [CC_S_RECEIPT_PREVIOUS] = "Previous choice",
    [CC_S_RECEIPT_FROM_COOKIE] = "This receipt is read from your consent cookie; the site keeps "
                                 "its record of your choice under the same consent id.",
    [CC_S_RECEIPT_WITHDRAW] = "You can withdraw or change your consent at any time in the privacy "
                              "settings; withdrawing is as easy as consenting.",
};

static const char *const cc_fr[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Vos choix en matière de cookies",
    [CC_S_BANNER_TEXT] = "Nous utilisons des cookies nécessaires au fonctionnement du site. Avec "
                         "votre accord, nous utilisons aussi des cookies facultatifs. Vous pouvez "
                         "les accepter, les refuser ou choisir par finalité, et changer d'avis à "
                         "tout moment depuis « Paramètres de confidentialité ».",
    [CC_S_ACCEPT_ALL] = "Tout accepter",
    [CC_S_REJECT_ALL] = "Tout refuser",
    [CC_S_CUSTOMISE] = "Personnaliser",
    [CC_S_POLICY_LINK] = "Politique de cookies",
    [CC_S_PRIVACY_SETTINGS] = "Paramètres de confidentialité",
    [CC_S_SETTINGS_INTRO] = "Choisissez les cookies que ce site peut utiliser. Les cookies "
                            "nécessaires ne peuvent pas être désactivés. Les cookies facultatifs "
                            "ne sont utilisés que si vous les activez.",
    [CC_S_ALWAYS_ON] = "Toujours actifs",
    [CC_S_SAVE] = "Enregistrer mes choix",
    [CC_S_CLOSE] = "Fermer",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domaine",
    [CC_S_COL_PURPOSE] = "Finalité",
    [CC_S_COL_RETENTION] = "Conservation",
    [CC_S_HOST_ONLY] = "ce site uniquement",
    [CC_S_POLICY_TITLE] = "Politique de cookies",
    [CC_S_POLICY_INTRO] = "Cette page liste les cookies utilisés par ce site, pourquoi, et pour "
                          "combien de temps.",
    [CC_S_COL_NAME] = "Nom",
    [CC_S_COL_TYPE] = "Type",
    [CC_S_COL_WEBSITE] = "Site web",
    [CC_S_COL_EXPLANATION] = "Explication",
    [CC_S_LIFETIME] = "Votre choix est conservé pendant %s, puis nous vous le redemandons. Nous le "
                      "redemandons aussi quand les cookies utilisés changent.",
    [CC_S_CHANGE] = "Vous pouvez modifier ou retirer votre consentement à tout moment avec le "
                    "bouton « Paramètres de confidentialité » en bas de chaque page.",
    [CC_S_SESSION] = "Session",
    [CC_S_DAY] = "jour",
    [CC_S_DAYS] = "jours",
    [CC_S_MONTH] = "mois",
    [CC_S_MONTHS] = "mois",
    [CC_S_YEAR] = "an",
    [CC_S_YEARS] = "ans",
    [CC_S_SAVED] = "Votre choix est enregistré.",
    [CC_S_CURRENT_CHOICE] = "Votre choix actuel",
    [CC_S_NOT_DECIDED] = "Vous n'avez pas encore fait de choix : les cookies facultatifs sont "
                         "désactivés.",
    [CC_S_UNSPECIFIED] = "non précisée",
    [CC_S_BACK] = "Retour au site",
    [CC_S_COOKIES_OF] = "Cookies : %s",
    [CC_S_PLACEHOLDER] = "Ce contenu est fourni par %s, qui utilise des cookies de la catégorie "
                         "« %s ». Il n'est pas chargé tant que vous ne les autorisez pas.",
    [CC_S_ALLOW_LOAD] = "Autoriser et charger",
    [CC_S_WITHDRAW_RELOADS] = "Retirer un consentement recharge la page.",
    [CC_S_RECEIPT] = "Votre reçu de consentement",
    [CC_S_RECEIPT_TITLE] = "Reçu de consentement",
    [CC_S_RECEIPT_INTRO] = "Voici l'enregistrement de votre dernier choix en matière de cookies "
                           "sur ce site.",
    [CC_S_RECEIPT_ID] = "Identifiant du consentement",
    [CC_S_RECEIPT_TIME] = "Date (UTC)",
    [CC_S_RECEIPT_ACTION] = "Choix",
    [CC_S_RECEIPT_ACCEPTED] = "Catégories acceptées",
    [CC_S_RECEIPT_REFUSED] = "Catégories refusées",
    [CC_S_RECEIPT_DECLARATIONS] = "Version des déclarations de cookies",
    [CC_S_RECEIPT_REVISION] = "Révision",
    [CC_S_RECEIPT_TEXTS] = "Empreinte des textes affichés (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Langue",
    [CC_S_RECEIPT_SOURCE] = "Où vous avez choisi",
    [CC_S_RECEIPT_PREVIOUS] = "Choix précédent",
    [CC_S_RECEIPT_FROM_COOKIE] = "Ce reçu est lu dans votre cookie de consentement ; le site "
                                 "conserve l'enregistrement de votre choix sous le même "
                                 "identifiant.",
    [CC_S_RECEIPT_WITHDRAW] = "Vous pouvez retirer ou modifier votre consentement à tout moment "
                              "dans les paramètres de confidentialité ; retirer est aussi simple "
                              "que consentir.",
};

/* The languages with built-in interface strings: a new language is a table above and a line
 * here (English first: it is the fallback). */
static const char *const cc_builtin_tags[] = {"en", "fr", NULL};
static const char *const *const cc_builtin_strings[] = {cc_en, cc_fr};
_Static_assert(sizeof(cc_builtin_tags) / sizeof(*cc_builtin_tags)
               == sizeof(cc_builtin_strings) / sizeof(*cc_builtin_strings) + 1,
               "one string table per built-in language tag");

static int cc_primary_is(const char *lang, const char *primary)
{
    apr_size_t n = strlen(primary);

    return lang && !strncasecmp(lang, primary, n) && (lang[n] == '\0' || lang[n] == '-'
                                                      || lang[n] == '_');
}

/* Index in cc_builtin_tags of lang's primary subtag, or -1. */
static int cc_builtin_index(const char *lang)
{
    int i;

    for (i = 0; cc_builtin_tags[i]; i++) {
        if (cc_primary_is(lang, cc_builtin_tags[i])) {
            return i;
        }
    }
    return -1;
}

const char *const *cc_i18n_builtin(void)
{
    return cc_builtin_tags;
}

int cc_i18n_has(const char *lang)
{
    return cc_builtin_index(lang) >= 0;
}

const char *cc_i18n(const char *lang, cc_string_e id)
{
    int i = cc_builtin_index(lang);

    if (id < 0 || id >= CC_S_COUNT) {
        return "";
    }
    return cc_builtin_strings[i < 0 ? 0 : i][id];
}

/* 1 when one of texts (cc_text_t) is tagged lang (case-insensitive); "" means untagged. */
static int cc_texts_tagged(const apr_array_header_t *texts, const char *lang)
{
    const cc_text_t *t;
    int i;

    if (!texts) {
        return 0;
    }
    t = (const cc_text_t *)texts->elts;
    for (i = 0; i < texts->nelts; i++) {
        if (!strcasecmp(t[i].lang, lang)) {
            return 1;
        }
    }
    return 0;
}

/* 1 when a Title, Description or Purpose of the declarations is tagged lang. */
static int cc_decl_has_texts(const cc_decl_t *d, const char *lang)
{
    int i;

    for (i = 0; d->categories && i < d->categories->nelts; i++) {
        const cc_category_t *c = APR_ARRAY_IDX(d->categories, i, const cc_category_t *);
        if (cc_texts_tagged(c->titles, lang) || cc_texts_tagged(c->descriptions, lang)) {
            return 1;
        }
    }
    for (i = 0; d->cookies && i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *r = APR_ARRAY_IDX(d->cookies, i, const cc_cookie_decl_t *);
        if (cc_texts_tagged(r->purposes, lang)) {
            return 1;
        }
    }
    return 0;
}

apr_array_header_t *cc_lang_offered(apr_pool_t *p, const cc_decl_t *d,
                                    const char *const *builtin)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(const char *));
    const char **l;
    int i, en_default, first = -1;

    /* The untagged texts are the site's own default language, taken to be English. */
    en_default = cc_decl_has_texts(d, "") || cc_decl_has_texts(d, "en");
    for (i = 0; builtin && builtin[i]; i++) {
        if (!strcasecmp(builtin[i], "en")) {
            APR_ARRAY_PUSH(out, const char *) = builtin[i];
        }
        else if (cc_decl_has_texts(d, builtin[i])) {
            if (first < 0) {
                first = out->nelts;
            }
            APR_ARRAY_PUSH(out, const char *) = builtin[i];
        }
    }
    for (i = 0; i < out->nelts && strcasecmp(APR_ARRAY_IDX(out, i, const char *), "en"); i++) {
    }
    if (i == out->nelts) {
        APR_ARRAY_PUSH(out, const char *) = "en";   /* always offered, even if not built in */
    }
    l = (const char **)out->elts;
    if (en_default || first < 0) {
        first = i;                                  /* English is the default */
    }
    if (first > 0) {                                /* move the default to the front */
        const char *def = l[first];
        memmove(l + 1, l, first * sizeof(*l));
        l[0] = def;
    }
    return out;
}

/* The offered language matching tag exactly, else by primary subtag (either way), else NULL. */
static const char *cc_lang_match(const apr_array_header_t *offered, const char *tag,
                                 apr_size_t taglen)
{
    int i;
    apr_size_t plen;

    if (!tag || !taglen) {
        return NULL;
    }
    for (i = 0; i < offered->nelts; i++) {
        const char *o = APR_ARRAY_IDX(offered, i, const char *);
        if (strlen(o) == taglen && !strncasecmp(o, tag, taglen)) {
            return o;
        }
    }
    for (plen = 0; plen < taglen && tag[plen] != '-' && tag[plen] != '_'; plen++) {
    }
    for (i = 0; i < offered->nelts; i++) {
        const char *o = APR_ARRAY_IDX(offered, i, const char *);
        apr_size_t olen = strcspn(o, "-");
        if (olen == plen && !strncasecmp(o, tag, plen)) {
            return o;
        }
    }
    return NULL;
}

/* q-value of one Accept-Language item's parameters, in thousandths. */
static int cc_qvalue(const char *params, const char *end)
{
    const char *q = params;
    int v, scale;

    while (q < end && (*q == ';' || *q == ' ' || *q == '\t')) {
        q++;
    }
    if (end - q < 3 || (q[0] != 'q' && q[0] != 'Q') || q[1] != '=') {
        return 1000;
    }
    q += 2;
    if (*q == '1') {
        return 1000;
    }
    if (*q != '0') {
        return 0;                       /* malformed: ignore the item */
    }
    v = 0;
    scale = 100;
    for (q++, q += (q < end && *q == '.'); q < end && *q >= '0' && *q <= '9' && scale; q++) {
        v += (*q - '0') * scale;
        scale /= 10;
    }
    return v;
}

const char *cc_lang_choose(const apr_array_header_t *offered, const char *query_lang,
                           const char *cookie_lang, const char *accept_language)
{
    const char *m, *s, *e, *tag_end, *best = NULL;
    int q, best_q = 0;

    if (!offered || !offered->nelts) {
        return "en";
    }
    if ((m = cc_lang_match(offered, query_lang, query_lang ? strlen(query_lang) : 0))
        || (m = cc_lang_match(offered, cookie_lang, cookie_lang ? strlen(cookie_lang) : 0))) {
        return m;
    }
    for (s = accept_language; s && *s; s = *e ? e + 1 : e) {
        e = strchr(s, ',');
        if (!e) {
            e = s + strlen(s);
        }
        while (s < e && (*s == ' ' || *s == '\t')) {
            s++;
        }
        tag_end = s;
        while (tag_end < e && *tag_end != ';' && *tag_end != ' ' && *tag_end != '\t') {
            tag_end++;
        }
        q = cc_qvalue(tag_end, e);
        m = cc_lang_match(offered, s, tag_end - s);
        if (m && q > best_q) {     /* ties keep the earlier item, as listed by the browser */
            best = m;
            best_q = q;
        }
    }
    return best ? best : APR_ARRAY_IDX(offered, 0, const char *);
}

const char *cc_i18n_duration(apr_pool_t *p, const char *lang, const char *text)
{
    char *unit;
    long n;
    cc_string_e one, many;

    if (!text || !*text) {
        return cc_i18n(lang, CC_S_UNSPECIFIED);
    }
    if (!strcmp(text, "session")) {
        return cc_i18n(lang, CC_S_SESSION);
    }
    n = strtol(text, &unit, 10);
    if (!strcmp(unit, "d")) {
        one = CC_S_DAY, many = CC_S_DAYS;
    }
    else if (!strcmp(unit, "mo")) {
        one = CC_S_MONTH, many = CC_S_MONTHS;
    }
    else if (!strcmp(unit, "y")) {
        one = CC_S_YEAR, many = CC_S_YEARS;
    }
    else {
        return text;
    }
    return apr_psprintf(p, "%ld %s", n, cc_i18n(lang, n == 1 ? one : many));
}

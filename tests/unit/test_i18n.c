/* test_i18n.c - the built-in interface strings of every language, the site's own strings
 * (CookieConsentText) and the language choice with the ten built-in languages. */
#include "cc_test.h"
#include "cc_i18n.h"

#include <apr_strings.h>

/* Strings that are the same word in a language as in English, written so by its speakers: the
 * short explicit list the "nothing copied from English" check allows. */
static const struct {
    const char *lang;
    cc_string_e key;
} cc_same_as_en[] = {
    {"fr", CC_S_COL_COOKIE}, {"de", CC_S_COL_COOKIE}, {"es", CC_S_COL_COOKIE},
    {"it", CC_S_COL_COOKIE}, {"nl", CC_S_COL_COOKIE}, {"pt", CC_S_COL_COOKIE},
    {"da", CC_S_COL_COOKIE},                    /* "Cookie" */
    {"fr", CC_S_COL_TYPE}, {"fr", CC_S_SESSION}, /* "Type", "Session" */
    {"de", CC_S_COL_DOMAIN},                    /* "Domain" */
    {"de", CC_S_COL_WEBSITE}, {"nl", CC_S_COL_WEBSITE},    /* "Website" */
    {"fr", CC_S_RECEIPT_TIME},                  /* "Date (UTC)" */
};

static int allowed_same(const char *lang, int key)
{
    apr_size_t i;

    for (i = 0; i < sizeof(cc_same_as_en) / sizeof(*cc_same_as_en); i++) {
        if (!strcmp(cc_same_as_en[i].lang, lang) && (int)cc_same_as_en[i].key == key) {
            return 1;
        }
    }
    return 0;
}

/* Characters (UTF-8 code points) in s. */
static int chars(const char *s)
{
    int n = 0;

    for (; *s; s++) {
        n += ((unsigned char)*s & 0xc0) != 0x80;
    }
    return n;
}

static void test_every_key_every_language(void)
{
    const char *const *langs = cc_i18n_builtin();
    int i, k, n = 0, same = 0;

    for (i = 0; langs[i]; i++) {
        for (k = 0; k < CC_S_COUNT; k++) {
            const char *s = cc_i18n(langs[i], (cc_string_e)k);
            char what[96];
            apr_snprintf(what, sizeof(what), "%s %s", langs[i], cc_i18n_key_name((cc_string_e)k));
            if (!s || !*s) {
                CHECK(!"a built-in string is missing");
                fprintf(stderr, "    missing: %s\n", what);
                continue;
            }
            /* the same %s as the English string, nothing else a printf would read */
            if (cc_i18n_text_check(cc_test_pool, (cc_string_e)k, s)) {
                CHECK(!"a built-in format string is wrong");
                fprintf(stderr, "    %s: %s\n", what, cc_i18n_text_check(cc_test_pool, (cc_string_e)k, s));
            }
            if (i > 0 && !strcmp(s, cc_i18n("en", (cc_string_e)k))) {
                same += allowed_same(langs[i], k);
                if (!allowed_same(langs[i], k)) {
                    CHECK(!"a string is copied from English");
                    fprintf(stderr, "    %s = \"%s\"\n", what, s);
                }
            }
            n++;
        }
    }
    CHECK_INT(i, 10);
    CHECK_INT(n, 10 * CC_S_COUNT);
    /* every allowed exception is still needed (the list does not grow stale) */
    CHECK_INT(same, (int)(sizeof(cc_same_as_en) / sizeof(*cc_same_as_en)));
}

static void test_accept_reject_equal(void)
{
    const char *const *langs = cc_i18n_builtin();
    int i;

    for (i = 0; langs[i]; i++) {
        int a = chars(cc_i18n(langs[i], CC_S_ACCEPT_ALL));
        int r = chars(cc_i18n(langs[i], CC_S_REJECT_ALL));
        if (a - r > 2 || r - a > 2) {
            CHECK(!"Accept all and Reject all differ by more than 2 characters");
            fprintf(stderr, "    %s: %d and %d\n", langs[i], a, r);
        }
    }
    CHECK_STR(cc_i18n("de", CC_S_ACCEPT_ALL), "Alle annehmen");
    CHECK_STR(cc_i18n("de", CC_S_REJECT_ALL), "Alle ablehnen");
    CHECK_STR(cc_i18n("es-MX", CC_S_REJECT_ALL), "Rechazar todo");
    CHECK_STR(cc_i18n("pt_BR", CC_S_ACCEPT_ALL), "Aceitar tudo");
}

static void test_key_names(void)
{
    int k;

    CHECK_INT(cc_i18n_key("accept_all"), CC_S_ACCEPT_ALL);
    CHECK_INT(cc_i18n_key("Reject_All"), CC_S_REJECT_ALL);
    CHECK_INT(cc_i18n_key("withdraw_reloads"), CC_S_WITHDRAW_RELOADS);
    CHECK_INT(cc_i18n_key("accept"), -1);
    CHECK_INT(cc_i18n_key(""), -1);
    CHECK_INT(cc_i18n_key(NULL), -1);
    for (k = 0; k < CC_S_COUNT; k++) {
        CHECK_INT(cc_i18n_key(cc_i18n_key_name((cc_string_e)k)), k);
    }
    CHECK_STR(cc_i18n_key_name(CC_S_COUNT), "");
}

static void test_text_check(void)
{
    apr_pool_t *p = cc_test_pool;

    CHECK(cc_i18n_text_check(p, CC_S_ACCEPT_ALL, "100% d'accord") == NULL);   /* no format */
    CHECK(cc_i18n_text_check(p, CC_S_LIFETIME, "Kept %s.") == NULL);
    CHECK(cc_i18n_text_check(p, CC_S_LIFETIME, "Kept %s, 100%% sure.") == NULL);
    CHECK_STR(cc_i18n_text_check(p, CC_S_LIFETIME, "Kept."),
              "lifetime needs exactly 1 %s (the consent lifetime), the text has 0");
    CHECK_STR(cc_i18n_text_check(p, CC_S_PLACEHOLDER, "%s only"),
              "placeholder needs exactly 2 %s (the service, then the category's title), the "
              "text has 1");
    CHECK(cc_i18n_text_check(p, CC_S_COOKIES_OF, "%s %s") != NULL);
    CHECK_STR(cc_i18n_text_check(p, CC_S_COOKIES_OF, "%d: %s"),
              "cookies_of: \"%d\" is not allowed: the text takes %s (1) and %% for a percent sign");
    CHECK(cc_i18n_text_check(p, CC_S_COOKIES_OF, "%n%s") != NULL);
    CHECK(cc_i18n_text_check(p, CC_S_COOKIES_OF, "%s %") != NULL);     /* a lone % at the end */
}

static apr_array_header_t *ui(void)
{
    return apr_array_make(cc_test_pool, 4, sizeof(cc_ui_text_t));
}

static void add_ui(apr_array_header_t *a, const char *lang, cc_string_e key, const char *text)
{
    cc_ui_text_t *t = apr_array_push(a);

    t->lang = lang;
    t->key = key;
    t->text = text;
    t->where = "test.conf:7";
}

static void test_site_strings(void)
{
    apr_array_header_t *a = ui();

    CHECK_STR(cc_i18n_site(NULL, "de", CC_S_SAVE), "Auswahl speichern");
    add_ui(a, "de", CC_S_SAVE, "Speichern");
    add_ui(a, "pt-BR", CC_S_SAVE, "Salvar");
    add_ui(a, "pt", CC_S_BACK, "Voltar");
    add_ui(a, "en", CC_S_CUSTOMISE, "Customize");
    CHECK_STR(cc_i18n_site(a, "de", CC_S_SAVE), "Speichern");
    CHECK_STR(cc_i18n_site(a, "DE-at", CC_S_SAVE), "Speichern");          /* by primary subtag */
    CHECK_STR(cc_i18n_site(a, "de", CC_S_CLOSE), "Schließen");            /* the rest built in */
    CHECK_STR(cc_i18n_site(a, "pt-BR", CC_S_SAVE), "Salvar");
    CHECK_STR(cc_i18n_site(a, "pt-PT", CC_S_SAVE), "Guardar as minhas escolhas");  /* not pt-BR's */
    CHECK_STR(cc_i18n_site(a, "pt-BR", CC_S_BACK), "Voltar");             /* pt's, for pt-BR */
    CHECK_STR(cc_i18n_site(a, "en-US", CC_S_CUSTOMISE), "Customize");
    CHECK_STR(cc_i18n_site(a, "fr", CC_S_CUSTOMISE), "Personnaliser");
    CHECK_STR(cc_i18n_site(a, "eo", CC_S_CUSTOMISE), "Customize");        /* English, the site's */
    CHECK_STR(cc_i18n_site(a, NULL, CC_S_CUSTOMISE), "Customize");         /* no language */
    CHECK_STR(cc_i18n_site(NULL, NULL, CC_S_CUSTOMISE), "Customise");
    /* a language without built-in strings: a sibling region's text is better than English */
    add_ui(a, "eo-XX", CC_S_CLOSE, "Fermi");
    CHECK_STR(cc_i18n_site(a, "eo", CC_S_CLOSE), "Fermi");
    /* the site's strings in durations, Polish plurals */
    add_ui(a, "en", CC_S_MONTHS, "mos");
    CHECK_STR(cc_i18n_duration(cc_test_pool, a, "en", "13mo"), "13 mos");
    CHECK_STR(cc_i18n_duration(cc_test_pool, a, "en", "1mo"), "1 month");
}

static void test_polish_plurals(void)
{
    apr_pool_t *p = cc_test_pool;

    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "1y"), "1 rok");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "2y"), "2 lata");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "5y"), "5 lat");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "12mo"), "12 miesięcy");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "13mo"), "13 miesięcy");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "14mo"), "14 miesięcy");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "24mo"), "24 miesiące");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "25mo"), "25 miesięcy");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "1d"), "1 dzień");
    CHECK_STR(cc_i18n_duration(p, NULL, "pl", "180d"), "180 dni");
    CHECK_STR(cc_i18n_duration(p, NULL, "en", "2y"), "2 years");
    CHECK_STR(cc_i18n_duration(p, NULL, "nl", "2y"), "2 jaar");
    CHECK_STR(cc_i18n_duration(p, NULL, "de", "session"), "Sitzung");
    CHECK_STR(cc_i18n_duration(p, NULL, "sv", "14d"), "14 dagar");
}

static void test_missing_keys(void)
{
    apr_array_header_t *a = ui();
    const char *err;
    int k;

    CHECK(cc_i18n_missing(cc_test_pool, NULL) == NULL);
    add_ui(a, "de", CC_S_SAVE, "Speichern");        /* built in: one key is enough */
    CHECK(cc_i18n_missing(cc_test_pool, a) == NULL);
    for (k = 0; k < CC_S_COUNT; k++) {
        if (k != CC_S_CLOSE && k != CC_S_BACK) {
            add_ui(a, "eo", (cc_string_e)k, "teksto");
        }
    }
    err = cc_i18n_missing(cc_test_pool, a);
    CHECK_STR(err, "CookieConsentText eo (test.conf:7): \"eo\" has no built-in interface "
                   "strings, so every key must be given; 2 missing: close back");
    add_ui(a, "EO", CC_S_CLOSE, "Fermi");           /* any case */
    add_ui(a, "eo", CC_S_BACK, "Reen");
    CHECK(cc_i18n_missing(cc_test_pool, a) == NULL);
}

static void test_offered_and_chosen(void)
{
    const char *const *builtin = cc_i18n_builtin();
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    apr_array_header_t *all = apr_array_make(cc_test_pool, 10, sizeof(const char *));
    int i;

    /* CookieConsentText offers its language; one without built-in strings comes last */
    d->ui_texts = ui();
    add_ui(d->ui_texts, "eo", CC_S_SAVE, "Konservi");
    add_ui(d->ui_texts, "sv", CC_S_SAVE, "Spara");
    CHECK_STR(apr_array_pstrcat(cc_test_pool, cc_lang_offered(cc_test_pool, d, builtin), ' '),
              "sv en eo");
    for (i = 0; builtin[i]; i++) {
        APR_ARRAY_PUSH(all, const char *) = builtin[i];
    }
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "de-CH,de;q=0.9,en;q=0.5"), "de");
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "pt-BR,pt;q=0.9"), "pt");
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "nb,da;q=0.8,sv;q=0.7"), "da");
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "pl-PL"), "pl");
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "es-419,it;q=0.5"), "es");
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "nl-BE"), "nl");
    CHECK_STR(cc_lang_choose(all, "it", NULL, "de"), "it");
    CHECK_STR(cc_lang_choose(all, NULL, NULL, "ja"), "en");
}

const cc_test_case cc_i18n_tests[] = {
    {"every key in every language, none copied from English", test_every_key_every_language},
    {"Accept all and Reject all of equal length", test_accept_reject_equal},
    {"key names", test_key_names},
    {"a site's text: formats", test_text_check},
    {"a site's strings over the built-in ones", test_site_strings},
    {"Polish plurals", test_polish_plurals},
    {"a language without built-in strings: every key", test_missing_keys},
    {"languages offered and chosen", test_offered_and_chosen},
    {NULL, NULL}
};

/* test_render.c - HTML escaping, languages, the snippet, pages, CSP nonces, assets. */
#include "cc_test.h"
#include "cc_assets.h"
#include "cc_html.h"
#include "cc_i18n.h"
#include "cc_render.h"
#include "cc_text.h"

#include <apr_strings.h>

static void test_html_escape(void)
{
    cc_sb_t sb;
    int i;

    CHECK_STR(cc_html_escape(cc_test_pool, "<script>alert(\"x\")</script> & 'y'"),
              "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    CHECK_STR(cc_html_escape(cc_test_pool, ""), "");
    {
        const char *plain = "/shop/cart?id=7#top";
        CHECK(cc_html_escape(cc_test_pool, plain) == plain);    /* returned as it is */
        CHECK_STR(cc_html_escape(cc_test_pool, "/a'b"), "/a&#39;b");
        CHECK_STR(cc_html_escape(cc_test_pool, "x>"), "x&gt;");
    }
    CHECK_STR(cc_html_escape(cc_test_pool, NULL), "");
    CHECK_STR(cc_html_escape(cc_test_pool, "n\xc3\xa9"), "n\xc3\xa9");
    cc_sb_init(&sb, cc_test_pool, 1);                      /* growth from a tiny buffer */
    for (i = 0; i < 1000; i++) {
        cc_sb_cat(&sb, "ab", "<", NULL);
    }
    CHECK_INT(sb.len, 3000);
    CHECK_INT(strlen(cc_sb_str(&sb)), 3000);
}

static apr_array_header_t *langs(const char *a, const char *b)
{
    apr_array_header_t *l = apr_array_make(cc_test_pool, 2, sizeof(const char *));

    APR_ARRAY_PUSH(l, const char *) = a;
    if (b) {
        APR_ARRAY_PUSH(l, const char *) = b;
    }
    return l;
}

static void test_lang_choose(void)
{
    apr_array_header_t *enfr = langs("en", "fr");

    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, NULL), "en");
    CHECK_STR(cc_lang_choose(langs("fr", "en"), NULL, NULL, NULL), "fr");
    CHECK_STR(cc_lang_choose(enfr, "fr", "en", "en"), "fr");             /* query first */
    CHECK_STR(cc_lang_choose(enfr, "de", "fr", "en"), "fr");             /* then the cookie */
    CHECK_STR(cc_lang_choose(enfr, NULL, "fr-fr", NULL), "fr");          /* Django: fr-fr */
    CHECK_STR(cc_lang_choose(enfr, NULL, "xx", "fr-CH, fr;q=0.9, en;q=0.8"), "fr");
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, "de-DE,de;q=0.9,en;q=0.5,fr;q=0.4"), "en");
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, "de, fr;q=0.2, en;q=0.1"), "fr");
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, "fr;q=0, en;q=0.1"), "en");
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, "fr;q=0"), "en");        /* q=0: not acceptable */
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, "*"), "en");
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, ",,;;q=,fr;q=garbage"), "en");
    CHECK_STR(cc_lang_choose(enfr, NULL, NULL, "FR"), "fr");
    CHECK_STR(cc_lang_choose(langs("pt-BR", "en"), NULL, NULL, "pt"), "pt-BR");
    CHECK_STR(cc_lang_choose(enfr, "", "", ""), "en");
}

static void test_i18n(void)
{
    CHECK_STR(cc_i18n("fr", CC_S_REJECT_ALL), "Tout refuser");
    CHECK_STR(cc_i18n("fr-CA", CC_S_ACCEPT_ALL), "Tout accepter");
    CHECK_STR(cc_i18n("en", CC_S_REJECT_ALL), "Reject all");
    CHECK_STR(cc_i18n("eo", CC_S_REJECT_ALL), "Reject all");        /* not built in: English */
    CHECK_STR(cc_i18n("de", CC_S_REJECT_ALL), "Alle ablehnen");
    CHECK_STR(cc_i18n(NULL, CC_S_CUSTOMISE), "Customise");
    CHECK(cc_i18n_has("fr") && cc_i18n_has("en-GB") && cc_i18n_has("de-AT") && !cc_i18n_has("eo"));
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "en", "25mo"), "25 months");
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "fr", "25mo"), "25 mois");
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "fr", "180d"), "180 jours");
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "en", "1y"), "1 year");
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "fr", "1y"), "1 an");
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "en", "session"), "Session");
    CHECK_STR(cc_i18n_duration(cc_test_pool, NULL, "en", NULL), "not specified");
    CHECK_STR(cc_render_lifetime(cc_test_pool, NULL, "en", 180 * 86400), "6 months");
    CHECK_STR(cc_render_lifetime(cc_test_pool, NULL, "en", 365 * 86400), "1 year");
    CHECK_STR(cc_render_lifetime(cc_test_pool, NULL, "fr", 10 * 86400), "10 jours");
}

static void add_text(apr_array_header_t **texts, const char *lang, const char *text)
{
    cc_text_t *t;

    if (!*texts) {
        *texts = apr_array_make(cc_test_pool, 2, sizeof(cc_text_t));
    }
    t = apr_array_push(*texts);
    t->lang = lang;
    t->text = text;
}

#define CAT(d, i) APR_ARRAY_IDX((d)->categories, (i), cc_category_t *)
#define ROW(d, i) APR_ARRAY_IDX((d)->cookies, (i), cc_cookie_decl_t *)

/* The languages cc_lang_offered gives, joined by spaces. */
static const char *offered(const cc_decl_t *d, const char *const *builtin)
{
    return apr_array_pstrcat(cc_test_pool, cc_lang_offered(cc_test_pool, d, builtin), ' ');
}

static void test_lang_offered(void)
{
    static const char *const enfrde[] = {"en", "fr", "de", NULL};
    static const char *const fr_only[] = {"fr", NULL};
    const char *const *builtin = cc_i18n_builtin();
    cc_decl_t *d;
    int i;

    /* the built-in list: English first, every tag has its strings */
    CHECK_STR(builtin[0], "en");
    for (i = 0; builtin[i]; i++) {
        CHECK(cc_i18n_has(builtin[i]));
    }
    CHECK(i >= 2);
    CHECK_STR(builtin[1], "fr");

    d = cc_test_decl(cc_test_pool);                     /* no text at all */
    CHECK_STR(offered(d, builtin), "en");
    add_text(&CAT(d, 0)->titles, "", "Necessary");      /* untagged only */
    add_text(&ROW(d, 0)->purposes, "", "Session.");
    CHECK_STR(offered(d, builtin), "en");
    add_text(&CAT(d, 1)->titles, "pt-BR", "Estatísticas");  /* a tag other than pt exactly */
    add_text(&CAT(d, 1)->titles, "fr-CA", "Statistiques");  /* a tag other than fr exactly */
    CHECK_STR(offered(d, builtin), "en");
    add_text(&ROW(d, 1)->purposes, "fr", "Mesure d'audience.");   /* a Purpose counts */
    CHECK_STR(offered(d, builtin), "en fr");
    CHECK_STR(offered(d, enfrde), "en fr");
    CHECK_STR(offered(d, fr_only), "en fr");            /* en always, and first */
    CHECK_STR(offered(d, NULL), "en");

    d = cc_test_decl(cc_test_pool);                     /* a Description counts, any case */
    add_text(&CAT(d, 2)->descriptions, "", "Ads.");
    add_text(&CAT(d, 2)->descriptions, "FR", "Publicité.");
    CHECK_STR(offered(d, builtin), "en fr");

    d = cc_test_decl(cc_test_pool);                     /* only French texts: French first */
    add_text(&CAT(d, 0)->titles, "fr", "Nécessaires");
    add_text(&ROW(d, 0)->purposes, "fr", "Session.");
    CHECK_STR(offered(d, builtin), "fr en");
    CHECK_STR(offered(d, fr_only), "fr en");
    add_text(&CAT(d, 1)->descriptions, "de", "Statistik.");
    CHECK_STR(offered(d, enfrde), "fr en de");          /* the first language with texts */
    add_text(&CAT(d, 1)->titles, "en", "Statistics");   /* an en text: English first again */
    CHECK_STR(offered(d, enfrde), "en fr de");

    d = cc_test_decl(cc_test_pool);                     /* another built-in language alone */
    add_text(&CAT(d, 0)->titles, "de", "Notwendig");
    CHECK_STR(offered(d, enfrde), "de en");
    CHECK_STR(offered(d, builtin), "de en");            /* built in now: German first */
    add_text(&ROW(d, 2)->purposes, "", "Ads.");
    CHECK_STR(offered(d, enfrde), "en de");
    CHECK_STR(offered(d, builtin), "en de");
}

static void test_csp_nonce(void)
{
    apr_pool_t *p = cc_test_pool;

    CHECK_STR(cc_csp_nonce(p, "script-src 'self' 'nonce-abc123'", "script-src"), "abc123");
    CHECK_STR(cc_csp_nonce(p, "default-src 'nonce-d1'; img-src *", "script-src"), "d1");
    CHECK_STR(cc_csp_nonce(p, "default-src 'nonce-d1'; style-src 'nonce-s2'", "style-src"), "s2");
    CHECK(cc_csp_nonce(p, "default-src 'nonce-d1'; script-src 'self'", "script-src") == NULL);
    CHECK(cc_csp_nonce(p, "script-src 'self'", "script-src") == NULL);
    CHECK(cc_csp_nonce(p, "script-src 'nonce-'", "script-src") == NULL);
    CHECK(cc_csp_nonce(p, "script-src 'nonce-abc", "script-src") == NULL);
    CHECK(cc_csp_nonce(p, "script-src-elem 'nonce-x'", "script-src") == NULL);
    CHECK(cc_csp_nonce(p, "", "script-src") == NULL);
}

/* A declaration with hostile texts, rendered for a decision. */
static cc_render_t *render_ctx(cc_decision_t *dec, const char *lang)
{
    cc_render_t *rc = apr_pcalloc(cc_test_pool, sizeof(*rc));
    cc_decl_t *d = cc_test_decl(cc_test_pool);
    cc_category_t *stat = APR_ARRAY_IDX(d->categories, 1, cc_category_t *);
    cc_cookie_decl_t *row = APR_ARRAY_IDX(d->cookies, 1, cc_cookie_decl_t *);
    cc_text_t *t;

    stat->titles = apr_array_make(cc_test_pool, 2, sizeof(cc_text_t));
    t = apr_array_push(stat->titles);
    t->lang = "", t->text = "Stats <script>alert(1)</script>";
    t = apr_array_push(stat->titles);
    t->lang = "fr", t->text = "Statistiques";
    row->purposes = apr_array_make(cc_test_pool, 1, sizeof(cc_text_t));
    t = apr_array_push(row->purposes);
    t->lang = "", t->text = "Counts \"visits\" & more";
    row->retention_text = "25mo";
    row->retention = 25 * 30 * 86400;
    memset(dec, 0, sizeof(*dec));
    dec->allowed = d->required_mask;
    rc->decl = d;
    rc->dec = dec;
    rc->lang = lang;
    rc->endpoint = "/cookieconsent";
    rc->return_path = "/shop?a=1&b=\"2\"";
    rc->asset_version = "0123456789ab";
    rc->lifetime = 180 * 86400;
    return rc;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (; (hay = strstr(hay, needle)) != NULL; hay++) {
        n++;
    }
    return n;
}

/* 1 when s has an attribute like onclick= (inline JavaScript a strict CSP would block). */
static int has_event_attr(const char *s)
{
    const char *p, *q;

    for (p = s; (p = strstr(p, " on")) != NULL; p++) {
        for (q = p + 3; *q >= 'a' && *q <= 'z'; q++) {
        }
        if (q > p + 3 && *q == '=') {
            return 1;
        }
    }
    return 0;
}

static void test_snippet_banner(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "en");
    const char *s = cc_render_snippet(cc_test_pool, rc);

    CHECK(cc_render_shows_banner(rc));
    CHECK(strncmp(s, "<link rel=\"stylesheet\" href=\"/cookieconsent/assets/cookieconsent.css?v="
                  "0123456789ab\">", 85) == 0);
    CHECK(strstr(s, "<script src=\"/cookieconsent/assets/cookieconsent.js?v=0123456789ab\" "
                 "defer></script>") != NULL);
    CHECK(strstr(s, "id=\"cc-banner\"") && strstr(s, "data-nosnippet"));
    CHECK_INT(count(s, "<button type=\"submit\" class=\"cc-btn\""), 3);
    CHECK(strstr(s, "value=\"accept-all\">Accept all<") && strstr(s, "value=\"reject-all\">"
                                                                     "Reject all<"));
    CHECK(strstr(s, "formaction=\"/cookieconsent/settings\"") != NULL);
    CHECK(strstr(s, "<script>alert") == NULL);
    CHECK(strstr(s, "Stats &lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    CHECK(strstr(s, "name=\"return\" value=\"/shop?a=1&amp;b=&quot;2&quot;\"") != NULL);
    CHECK(strstr(s, "nonce") == NULL);
    CHECK(strstr(s, " style=") == NULL && !has_event_attr(s));      /* no inline CSS/JS */
}

static void test_snippet_decided_gpc_nonce(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "fr");
    const char *s;

    dec.decided = 1;
    dec.source = CC_SOURCE_BANNER;
    s = cc_render_snippet(cc_test_pool, rc);
    CHECK(!cc_render_shows_banner(rc));
    CHECK(strstr(s, "cc-banner") == NULL);
    CHECK(strstr(s, "class=\"cc-root cc-manage\"") != NULL);
    CHECK(strstr(s, ">Param\xc3\xa8tres de confidentialit\xc3\xa9</button>") != NULL);
    CHECK(strstr(s, "lang=\"fr\"") != NULL);

    dec.decided = 0;
    dec.source = CC_SOURCE_GPC;
    CHECK(!cc_render_shows_banner(rc));

    rc->nonce = "n\"1";
    rc->style_nonce = "s2";
    s = cc_render_snippet(cc_test_pool, rc);
    CHECK(strstr(s, "defer nonce=\"n&quot;1\"></script>") != NULL);
    CHECK(strstr(s, "0123456789ab\" nonce=\"s2\">") != NULL);
}

static void test_snippet_parts(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "fr");
    cc_snippet_parts_t parts;
    int decided;

    /* Fixed parts around the escaped path give exactly the full rendering, banner and button. */
    for (decided = 0; decided < 2; decided++) {
        dec.decided = decided;
        cc_render_snippet_parts(cc_test_pool, rc, &parts);
        CHECK(strchr(parts.head, '\x01') == NULL && strchr(parts.tail, '\x01') == NULL);
        CHECK_STR(apr_pstrcat(cc_test_pool, parts.head,
                              cc_html_escape(cc_test_pool, rc->return_path), parts.tail, NULL),
                  cc_render_snippet(cc_test_pool, rc));
    }
    rc->nonce = "n1";                                   /* parts never carry a nonce */
    cc_render_snippet_parts(cc_test_pool, rc, &parts);
    CHECK(strstr(parts.head, "nonce") == NULL);
}

static apr_uint32_t ref_fnv(apr_uint32_t h, const char *s)
{
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return (h ^ 0xff) * 16777619u;
}

/* The tag as its definition says: FNV-1a of "banner/mask", language, return path, asset version
 * and fingerprint, in 8 lowercase hex digits. */
static void ref_state_tag(const cc_render_t *rc, const char *const *parts, int n, char *out)
{
    char head[24];
    apr_uint32_t h = 2166136261u;
    int i;

    h = ref_fnv(h, rc->asset_version);
    h = ref_fnv(h, rc->decl->fingerprint);
    for (i = 0; i < n; i++) {
        h = ref_fnv(h, parts[i]);
    }
    h |= 1;
    snprintf(head, sizeof(head), "%d/%08x", cc_render_shows_banner(rc), (unsigned)rc->dec->allowed);
    h = ref_fnv(h, head);
    h = ref_fnv(h, rc->lang);
    h = ref_fnv(h, rc->return_path);
    snprintf(out, 9, "%08x", (unsigned)h);
}

static void test_state_tag(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "en");
    const char *parts[] = {"<div id=cc-banner>", "</div>", "<button>Settings", "</button>"};
    char a[9], b[9], want[9];

    cc_render_state_tag(rc, a);
    CHECK_INT(strlen(a), 8);
    cc_render_state_tag(rc, b);
    CHECK_STR(a, b);
    rc->nonce = "other";                              /* the nonce is not part of the state */
    cc_render_state_tag(rc, b);
    CHECK_STR(a, b);
    rc->lang = "fr";
    cc_render_state_tag(rc, b);
    CHECK(strcmp(a, b) != 0);
    rc->lang = "en";
    rc->return_path = "/other";
    cc_render_state_tag(rc, b);
    CHECK(strcmp(a, b) != 0);
    rc->return_path = "/";
    dec.decided = 1, dec.allowed = 3;
    cc_render_state_tag(rc, b);
    CHECK(strcmp(a, b) != 0);
    for (apr_uint32_t m = 0; m < 70000; m += 4099) {
        dec.allowed = m * 65599u;
        dec.decided = (int)(m & 1);
        cc_render_state_tag(rc, b);
        ref_state_tag(rc, NULL, 0, want);
        CHECK_STR(b, want);
    }
    /* A seed without parts is the tag computed without a seed. */
    dec.decided = 0, dec.allowed = 0;
    cc_render_state_tag(rc, a);
    rc->state_seed = cc_render_state_seed(rc, NULL, 0);
    CHECK(rc->state_seed != 0);
    cc_render_state_tag(rc, b);
    CHECK_STR(a, b);
    /* The snippet's texts are in the seed: another text, another tag. */
    rc->state_seed = cc_render_state_seed(rc, parts, 4);
    cc_render_state_tag(rc, b);
    ref_state_tag(rc, parts, 4, want);
    CHECK_STR(b, want);
    CHECK(strcmp(a, b) != 0);
    parts[2] = "<button>Privacy settings";
    rc->state_seed = cc_render_state_seed(rc, parts, 4);
    cc_render_state_tag(rc, a);
    CHECK(strcmp(a, b) != 0);
    /* ("ab", "c") and ("a", "bc") are different parts */
    {
        const char *p1[] = {"ab", "c"}, *p2[] = {"a", "bc"};
        CHECK(cc_render_state_seed(rc, p1, 2) != cc_render_state_seed(rc, p2, 2));
    }
    rc->state_seed = 0;
}

static void test_settings_page(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "en");
    const char *s = cc_render_settings(cc_test_pool, rc, 0);
    const char *frag;

    CHECK(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    CHECK(strstr(s, "id=\"cc-cat-necessary\" value=\"necessary\" aria-describedby="
                 "\"cc-desc-necessary\" checked disabled>") != NULL);
    /* Opt-in: no optional switch is on before a decision. */
    CHECK(strstr(s, "id=\"cc-cat-statistical\" value=\"statistical\" aria-describedby="
                 "\"cc-desc-statistical\">") != NULL);
    CHECK(strstr(s, "<code>_pk_id* _pk_ses*</code>") != NULL);
    CHECK(strstr(s, "shop.test") && strstr(s, "25 months"));
    CHECK(strstr(s, "Counts &quot;visits&quot; &amp; more") != NULL);
    CHECK(strstr(s, "value=\"save\"") && strstr(s, "value=\"accept-all\"")
          && strstr(s, "value=\"reject-all\""));
    frag = cc_render_settings(cc_test_pool, rc, 1);
    CHECK(strncmp(frag, "<form class=\"cc-settings\"", 25) == 0);
    CHECK(strstr(frag, "<html") == NULL);
    /* the JS layer says that a withdrawal reloads the page, just before the buttons */
    CHECK(strstr(frag, "<p class=\"cc-text cc-note\">Withdrawing a consent reloads the page.</p>"
                 "<div class=\"cc-actions\">") != NULL);
    CHECK(strstr(s, "Withdrawing a consent") == NULL);
    CHECK_STR(cc_i18n("fr", CC_S_WITHDRAW_RELOADS), "Retirer un consentement recharge la page.");

    dec.decided = 1, dec.allowed = 1 | 2;                  /* statistical accepted */
    s = cc_render_settings(cc_test_pool, rc, 1);
    CHECK(strstr(s, "\"cc-desc-statistical\" checked>") != NULL);
    CHECK(strstr(s, "\"cc-desc-marketing\">") != NULL);
}

static void test_policy(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "fr");
    const char *h = cc_render_policy_html(cc_test_pool, rc);
    const char *j;

    CHECK(strstr(h, "<html lang=\"fr\">") != NULL);
    CHECK(strstr(h, "<h2>Statistiques</h2>") != NULL);
    CHECK(strstr(h, "<th scope=\"row\">Piwik</th><td><code>_pk_id* _pk_ses*</code></td>"
                 "<td>Statistiques</td><td>shop.test</td>") != NULL);
    CHECK(strstr(h, "25 mois") != NULL);
    CHECK(strstr(h, "6 mois") != NULL);                       /* the consent lifetime */
    CHECK_INT(count(h, "<th scope=\"row\">"), 5);             /* every row of the table */
    j = cc_render_policy_json(cc_test_pool, rc);
    CHECK(strstr(j, "\"name\":\"Piwik\",\"cookies\":[\"_pk_id*\",\"_pk_ses*\"],\"category\":"
                 "\"statistical\",\"domains\":[\"shop.test\"]") != NULL);
    CHECK(strstr(j, "\"retention_seconds\":64800000") != NULL);
    CHECK(strstr(j, "\\u003cscript\\u003e") == NULL);          /* fr title chosen */
    rc->lang = "en";
    j = cc_render_policy_json(cc_test_pool, rc);
    CHECK(strstr(j, "Stats \\u003cscript\\u003ealert(1)\\u003c/script\\u003e") != NULL);
}

static void test_assets(void)
{
    char v1[13], v2[13];

    CHECK(cc_asset_find("cookieconsent.css") != NULL);
    CHECK(cc_asset_find("cookieconsent.js") != NULL);
    CHECK(cc_asset_find("../etc/passwd") == NULL);
    CHECK(cc_asset_find("") == NULL);
    CHECK(cc_asset_find("cookieconsent.css")->len > 0);
    cc_assets_version(v1);
    cc_assets_version(v2);
    CHECK_INT(strlen(v1), 12);
    CHECK_STR(v1, v2);
}

/* The first layer: category titles (and Summary), never a Description or a cookie table; the
 * three buttons; the settings button for after a choice, in a <template>, with no return path
 * (the snippet has exactly one). */
static void test_banner_first_layer(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "en");
    cc_category_t *nec = APR_ARRAY_IDX(rc->decl->categories, 0, cc_category_t *);
    cc_category_t *stat = APR_ARRAY_IDX(rc->decl->categories, 1, cc_category_t *);
    cc_snippet_parts_t parts;
    const char *s, *tpl;

    add_text(&nec->descriptions, "", "A long description of the necessary cookies.");
    add_text(&stat->summaries, "", "Visits & sources");
    add_text(&stat->summaries, "fr", "Visites et sources");
    s = cc_render_snippet(cc_test_pool, rc);
    CHECK(strstr(s, "A long description") == NULL);
    CHECK(strstr(s, "<table") == NULL);
    CHECK(strstr(s, "<li><strong>necessary</strong> (Always on)</li>") != NULL);
    CHECK(strstr(s, "<li><strong>Stats &lt;script&gt;alert(1)&lt;/script&gt;</strong>: "
                    "Visits &amp; sources</li>") != NULL);
    CHECK(strstr(s, "<li><strong>marketing</strong></li>") != NULL);
    CHECK(strstr(s, " <a href=\"/cookieconsent/policy?lang=en\">Cookie policy</a></p>") != NULL);
    tpl = strstr(s, "<template>");
    CHECK(tpl && strstr(tpl, "<div class=\"cc-root cc-manage\" data-nosnippet lang=\"en\"") == tpl + 10);
    CHECK(tpl && strstr(tpl, ">Privacy settings</button></form></div></template></div>") != NULL);
    CHECK(tpl && strstr(tpl, "<input type=\"hidden\" name=\"return\"><input") != NULL);
    CHECK_INT(count(s, "/shop?a=1"), 1);
    cc_render_snippet_parts(cc_test_pool, rc, &parts);
    CHECK(strchr(parts.tail, '\x01') == NULL);
    CHECK(strstr(parts.tail, "</template></div>") != NULL);
    /* the summary in French */
    rc->lang = "fr";
    s = cc_render_snippet(cc_test_pool, rc);
    CHECK(strstr(s, "<strong>Statistiques</strong>: Visites et sources</li>") != NULL);
    CHECK(strstr(s, "<strong>necessary</strong> (Toujours actifs)") != NULL);
}

/* CookieConsentText: the site's strings in the banner, the pages and the placeholder's policy
 * link, escaped like any configured text; the built-in ones for the rest. */
static void test_site_strings_rendered(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "de");
    cc_decl_t *d = (cc_decl_t *)rc->decl;
    cc_ui_text_t *t;
    const char *s;

    d->ui_texts = apr_array_make(cc_test_pool, 2, sizeof(cc_ui_text_t));
    t = apr_array_push(d->ui_texts);
    t->lang = "de", t->key = CC_S_ACCEPT_ALL, t->text = "Alle <zulassen>";
    t = apr_array_push(d->ui_texts);
    t->lang = "de", t->key = CC_S_LIFETIME, t->text = "Gespeichert: %s & fertig";
    s = cc_render_snippet(cc_test_pool, rc);
    CHECK(strstr(s, "value=\"accept-all\">Alle &lt;zulassen&gt;</button>") != NULL);
    CHECK(strstr(s, "value=\"reject-all\">Alle ablehnen</button>") != NULL);
    s = cc_render_settings(cc_test_pool, rc, 0);
    CHECK(strstr(s, ">Alle &lt;zulassen&gt;</button>") != NULL);
    CHECK(strstr(s, "<h1 class=\"cc-title\" id=\"cc-settings-title\">Datenschutzeinstellungen") != NULL);
    s = cc_render_policy_html(cc_test_pool, rc);
    CHECK(strstr(s, "<p class=\"cc-text\">Gespeichert: 6 Monate &amp; fertig</p>") != NULL);
    CHECK(strstr(s, "<td>25 Monate</td>") != NULL);
}

/* The settings layer: the fragment carries the dialog's Close button in the visitor's language;
 * the module's pages link the settings layer's assets, the snippet does not. */
static void test_settings_layer(void)
{
    cc_decision_t dec;
    cc_render_t *rc = render_ctx(&dec, "nl");
    const char *s;

    s = cc_render_settings(cc_test_pool, rc, 1);
    CHECK(strstr(s, "<button type=\"button\" class=\"cc-dialog__close\" data-cc-close>Sluiten"
                    "</button><h1") != NULL);
    CHECK(strstr(s, "cookieconsent-settings") == NULL);
    s = cc_render_settings(cc_test_pool, rc, 0);
    CHECK(strstr(s, "data-cc-close") == NULL);
    CHECK(strstr(s, "/assets/cookieconsent-settings.css?v=0123456789ab") != NULL);
    CHECK(strstr(s, "/assets/cookieconsent-settings.js?v=0123456789ab") != NULL);
    s = cc_render_policy_html(cc_test_pool, rc);
    CHECK(strstr(s, "/assets/cookieconsent-settings.css?v=0123456789ab") != NULL);
    s = cc_render_snippet(cc_test_pool, rc);
    CHECK(strstr(s, "cookieconsent-settings") == NULL);
    CHECK(strstr(s, ">Alles accepteren</button>") != NULL);
}

const cc_test_case cc_render_tests[] = {
    {"html_escape", test_html_escape},
    {"lang_choose", test_lang_choose},
    {"i18n", test_i18n},
    {"lang_offered", test_lang_offered},
    {"csp_nonce", test_csp_nonce},
    {"snippet_banner", test_snippet_banner},
    {"snippet_decided_gpc_nonce", test_snippet_decided_gpc_nonce},
    {"snippet_parts", test_snippet_parts},
    {"state_tag", test_state_tag},
    {"settings_page", test_settings_page},
    {"policy", test_policy},
    {"assets", test_assets},
    {"banner_first_layer", test_banner_first_layer},
    {"site_strings_rendered", test_site_strings_rendered},
    {"settings_layer", test_settings_layer},
    {NULL, NULL}
};

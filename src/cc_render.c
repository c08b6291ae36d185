/* cc_render.c - the banner, the settings page and the cookie policy. Every configured text is
 * escaped on the way out; the markup has no inline script or style, so a strict CSP holds. */
#include "cc_render.h"
#include "cc_http.h"
#include "cc_html.h"
#include "cc_i18n.h"
#include "cc_text.h"

#include <apr_strings.h>
#include <string.h>

#define CC_CAT(d, i) (APR_ARRAY_IDX((d)->categories, (i), cc_category_t *))
#define CC_ROW(d, i) (APR_ARRAY_IDX((d)->cookies, (i), cc_cookie_decl_t *))
#define T(id) cc_i18n_site(rc->decl->ui_texts, rc->lang, (id))
#define TE(p, id) cc_html_escape((p), T(id))     /* for cc_sb_cat: a site's text is escaped */

static const char *cc_cat_title(const cc_render_t *rc, const cc_category_t *c)
{
    const char *t = cc_text_pick(c->titles, rc->lang);

    return t ? t : c->name;
}

static const char *cc_cat_text(const cc_render_t *rc, const cc_category_t *c)
{
    const char *t = cc_text_pick(c->descriptions, rc->lang);

    return t ? t : "";
}

/* The first layer's line of a category (Summary), "" when it has none. */
static const char *cc_cat_summary(const cc_render_t *rc, const cc_category_t *c)
{
    const char *t = cc_text_pick(c->summaries, rc->lang);

    return t ? t : "";
}

static const char *cc_join_words(apr_pool_t *p, const apr_array_header_t *a, const char *sep)
{
    const char *out = "";
    int i;

    for (i = 0; a && i < a->nelts; i++) {
        out = apr_pstrcat(p, out, i ? sep : "", APR_ARRAY_IDX(a, i, const char *), NULL);
    }
    return out;
}

static void cc_nonce_attr(cc_sb_t *sb, const char *nonce)
{
    if (nonce) {
        cc_sb_add(sb, " nonce=\"");
        cc_sb_esc(sb, nonce);
        cc_sb_add(sb, "\"");
    }
}

static void cc_asset_tags(cc_sb_t *sb, const cc_render_t *rc, const char *name)
{
    cc_sb_add(sb, "<link rel=\"stylesheet\" href=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_cat(sb, "/assets/", name, ".css?v=", rc->asset_version, "\"", NULL);
    cc_nonce_attr(sb, rc->style_nonce);
    cc_sb_add(sb, "><script src=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_cat(sb, "/assets/", name, ".js?v=", rc->asset_version, "\" defer", NULL);
    cc_nonce_attr(sb, rc->nonce);
    cc_sb_add(sb, "></script>");
}

/* The first layer's stylesheet and script; the module's pages add the settings layer's (the
 * script loads those itself when it opens the settings dialog in a page of the site). */
static void cc_assets(cc_sb_t *sb, const cc_render_t *rc, int settings_layer)
{
    cc_asset_tags(sb, rc, "cookieconsent");
    if (settings_layer) {
        cc_asset_tags(sb, rc, "cookieconsent-settings");
    }
}

/* The page to come back to, and the language, so the settings page (without JavaScript) is in the
 * language the visitor was reading. /consent ignores the lang field. */
static void cc_return_field(cc_sb_t *sb, const cc_render_t *rc, int with_return)
{
    cc_sb_add(sb, "<input type=\"hidden\" name=\"return\"");
    if (with_return) {      /* once per snippet: cc_render_snippet_parts splits around it */
        cc_sb_add(sb, " value=\"");
        cc_sb_esc(sb, rc->return_path);
        cc_sb_add(sb, "\"");
    }
    cc_sb_add(sb, "><input type=\"hidden\" name=\"lang\" value=\"");
    cc_sb_esc(sb, rc->lang);
    cc_sb_add(sb, "\">");
}

/* Where a choice is made, for the consent record (issue 10): banner, settings, placeholder; a
 * POST without it comes from the JSON API. */
static void cc_source_field(cc_sb_t *sb, const char *source)
{
    cc_sb_cat(sb, "<input type=\"hidden\" name=\"source\" value=\"", source, "\">", NULL);
}

/* A wide table scrolls sideways on phones: its wrapper must be reachable by keyboard (WCAG). */
static void cc_table_wrap(cc_sb_t *sb, const cc_render_t *rc, const char *title)
{
    cc_sb_add(sb, "<div class=\"cc-table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
    cc_sb_esc(sb, apr_psprintf(sb->pool, T(CC_S_COOKIES_OF), title));
    cc_sb_add(sb, "\">");
}

/* The snippet's outer element: kept out of search snippets, in the page's chosen language, and
 * telling the script where the endpoint is. */
static void cc_root_open(cc_sb_t *sb, const cc_render_t *rc, const char *attrs)
{
    cc_sb_cat(sb, "<div ", attrs, " data-nosnippet lang=\"", NULL);
    cc_sb_esc(sb, rc->lang);
    cc_sb_add(sb, "\" data-cc-endpoint=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_add(sb, "\">");
}

/* The three first-layer buttons: same element, same class, same size. */
static void cc_banner_buttons(cc_sb_t *sb, const cc_render_t *rc)
{
    cc_sb_add(sb, "<div class=\"cc-actions\">"
              "<button type=\"submit\" class=\"cc-btn\" name=\"action\" value=\"accept-all\">");
    cc_sb_esc(sb, T(CC_S_ACCEPT_ALL));
    cc_sb_add(sb, "</button><button type=\"submit\" class=\"cc-btn\" name=\"action\" "
              "value=\"reject-all\">");
    cc_sb_esc(sb, T(CC_S_REJECT_ALL));
    cc_sb_add(sb, "</button><button type=\"submit\" class=\"cc-btn\" formmethod=\"get\" "
              "formaction=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_add(sb, "/settings\" data-cc-open-settings>");
    cc_sb_esc(sb, T(CC_S_CUSTOMISE));
    cc_sb_add(sb, "</button></div>");
}

static void cc_manage_button(cc_sb_t *sb, const cc_render_t *rc, int with_return);

/* The first layer: what it is about, the categories by title (and Summary), the policy, the three
 * choices. Descriptions and cookie tables are in the settings layer, one button away. */
static void cc_banner(cc_sb_t *sb, const cc_render_t *rc)
{
    const cc_decl_t *d = rc->decl;
    int i;

    cc_root_open(sb, rc, "id=\"cc-banner\" class=\"cc-root cc-banner\" role=\"region\" "
                 "aria-labelledby=\"cc-banner-title\"");
    cc_sb_add(sb, "<form class=\"cc-banner__form\" method=\"post\" action=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_add(sb, "/consent\"><div class=\"cc-banner__body\"><p id=\"cc-banner-title\" "
              "class=\"cc-title\">");
    cc_sb_esc(sb, T(CC_S_BANNER_TITLE));
    cc_sb_add(sb, "</p><p class=\"cc-text\">");
    cc_sb_esc(sb, T(CC_S_BANNER_TEXT));
    cc_sb_add(sb, " <a href=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_add(sb, "/policy?lang=");
    cc_sb_esc(sb, rc->lang);
    cc_sb_add(sb, "\">");
    cc_sb_esc(sb, T(CC_S_POLICY_LINK));
    cc_sb_add(sb, "</a></p><ul class=\"cc-purposes\">");
    for (i = 0; i < d->categories->nelts; i++) {
        const cc_category_t *c = CC_CAT(d, i);
        cc_sb_add(sb, "<li><strong>");
        cc_sb_esc(sb, cc_cat_title(rc, c));
        cc_sb_add(sb, "</strong>");
        if (c->required) {
            cc_sb_add(sb, " (");
            cc_sb_esc(sb, T(CC_S_ALWAYS_ON));
            cc_sb_add(sb, ")");
        }
        if (*cc_cat_summary(rc, c)) {
            cc_sb_add(sb, ": ");
            cc_sb_esc(sb, cc_cat_summary(rc, c));
        }
        cc_sb_add(sb, "</li>");
    }
    cc_sb_add(sb, "</ul></div>");
    cc_return_field(sb, rc, 1);
    cc_source_field(sb, "banner");
    cc_banner_buttons(sb, rc);
    /* What the script puts in the banner's place once a choice is recorded in the page. */
    cc_sb_add(sb, "</form><template>");
    cc_manage_button(sb, rc, 0);
    cc_sb_add(sb, "</template></div>");
}

static void cc_manage_button(cc_sb_t *sb, const cc_render_t *rc, int with_return)
{
    cc_root_open(sb, rc, "class=\"cc-root cc-manage\"");
    cc_sb_add(sb, "<form method=\"get\" action=\"");
    cc_sb_esc(sb, rc->endpoint);
    cc_sb_add(sb, "/settings\">");
    cc_return_field(sb, rc, with_return);
    cc_sb_cat(sb, "<button type=\"submit\" class=\"cc-manage__btn\" data-cc-open-settings>",
              TE(sb->pool, CC_S_PRIVACY_SETTINGS), "</button></form></div>", NULL);
}

int cc_render_shows_banner(const cc_render_t *rc)
{
    /* A GPC signal is a refusal already: such visitors get the settings button, not the banner. */
    return !rc->dec->decided && rc->dec->source != CC_SOURCE_GPC;
}

/* FNV-1a: the tag only has to change when its inputs do; it guards no secret. */
static apr_uint32_t cc_fnv(apr_uint32_t h, const char *s)
{
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return (h ^ 0xff) * 16777619u;           /* a separator, so ("ab","c") != ("a","bc") */
}

apr_uint32_t cc_render_state_seed(const cc_render_t *rc, const char *const *parts, int n)
{
    apr_uint32_t h = 2166136261u;
    int i;

    h = cc_fnv(h, rc->asset_version ? rc->asset_version : "");
    h = cc_fnv(h, rc->decl->fingerprint);
    for (i = 0; i < n; i++) {
        h = cc_fnv(h, parts[i] ? parts[i] : "");
    }
    return h | 1;                           /* never 0, which means "not given" */
}

void cc_render_state_tag(const cc_render_t *rc, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    apr_uint32_t h, a = rc->dec->allowed;
    char head[11];
    int i;

    /* "B/AAAAAAAA": whether the banner shows, the allowed mask in hex (no formatter: this runs
     * for every HTML page). What is the same for every request of the virtual host and language
     * was hashed once, into the seed. */
    h = rc->state_seed ? rc->state_seed : cc_render_state_seed(rc, NULL, 0);
    head[0] = cc_render_shows_banner(rc) ? '1' : '0';
    head[1] = '/';
    for (i = 0; i < 8; i++) {
        head[2 + i] = hex[(a >> (28 - 4 * i)) & 0xf];
    }
    head[10] = '\0';
    h = cc_fnv(h, head);
    h = cc_fnv(h, rc->lang);
    h = cc_fnv(h, rc->return_path);
    for (i = 0; i < CC_STATE_TAG_LEN; i++) {
        buf[i] = hex[(h >> (4 * (CC_STATE_TAG_LEN - 1 - i))) & 0xf];
    }
    buf[CC_STATE_TAG_LEN] = '\0';
}

void cc_render_snippet_parts(apr_pool_t *p, const cc_render_t *rc, cc_snippet_parts_t *out)
{
    cc_render_t fixed = *rc;
    const char *s, *mark;

    /* A byte that escaping leaves alone and that configured texts cannot hold (the
     * configuration refuses control characters), so the only one is the return path's. */
    fixed.return_path = "\x01";
    fixed.nonce = fixed.style_nonce = NULL;
    s = cc_render_snippet(p, &fixed);
    mark = strchr(s, '\x01');
    out->head = mark ? apr_pstrmemdup(p, s, mark - s) : s;
    out->tail = mark ? mark + 1 : "";
}

const char *cc_render_snippet(apr_pool_t *p, const cc_render_t *rc)
{
    cc_sb_t sb;

    cc_sb_init(&sb, p, 2048);
    cc_assets(&sb, rc, 0);
    if (cc_render_shows_banner(rc)) {
        cc_banner(&sb, rc);
    }
    else {
        cc_manage_button(&sb, rc, 1);
    }
    return cc_sb_str(&sb);
}

const char *cc_render_lifetime(apr_pool_t *p, const apr_array_header_t *ui, const char *lang,
                               apr_int64_t seconds)
{
    apr_int64_t days = seconds / 86400;

    if (days % 365 == 0) {
        return cc_i18n_duration(p, ui, lang, apr_psprintf(p, "%" APR_INT64_T_FMT "y", days / 365));
    }
    if (days % 30 == 0) {
        return cc_i18n_duration(p, ui, lang, apr_psprintf(p, "%" APR_INT64_T_FMT "mo", days / 30));
    }
    return cc_i18n_duration(p, ui, lang, apr_psprintf(p, "%" APR_INT64_T_FMT "d", days));
}

static const char *cc_row_domains(apr_pool_t *p, const cc_render_t *rc,
                                  const cc_cookie_decl_t *row)
{
    return row->domains ? cc_join_words(p, row->domains, ", ") : T(CC_S_HOST_ONLY);
}

/* The cells every cookie table ends with: domains, purpose, retention. */
static void cc_row_cells(cc_sb_t *sb, const cc_render_t *rc, const cc_cookie_decl_t *row)
{
    cc_sb_add(sb, "<td>");
    cc_sb_esc(sb, cc_row_domains(sb->pool, rc, row));
    cc_sb_add(sb, "</td><td>");
    cc_sb_esc(sb, cc_text_pick(row->purposes, rc->lang));
    cc_sb_add(sb, "</td><td>");
    cc_sb_esc(sb, cc_i18n_duration(sb->pool, rc->decl->ui_texts, rc->lang, row->retention_text));
    cc_sb_add(sb, "</td></tr>");
}

/* The cookies of category i as a table (settings page). */
static void cc_settings_cookies(cc_sb_t *sb, const cc_render_t *rc, int i)
{
    const cc_decl_t *d = rc->decl;
    int j, any = 0;

    for (j = 0; j < d->cookies->nelts; j++) {
        const cc_cookie_decl_t *row = CC_ROW(d, j);
        if (row->category_index != i) {
            continue;
        }
        if (!any++) {
            cc_table_wrap(sb, rc, cc_cat_title(rc, CC_CAT(d, i)));
            cc_sb_cat(sb, "<table class=\"cc-cookies\"><thead><tr><th scope=\"col\">", TE(sb->pool, CC_S_COL_COOKIE), "</th><th scope=\"col\">",
                      TE(sb->pool, CC_S_COL_DOMAIN), "</th><th scope=\"col\">", TE(sb->pool, CC_S_COL_PURPOSE),
                      "</th><th scope=\"col\">", TE(sb->pool, CC_S_COL_RETENTION), "</th></tr></thead>"
                      "<tbody>", NULL);
        }
        cc_sb_add(sb, "<tr><td><strong>");
        cc_sb_esc(sb, row->label);
        cc_sb_add(sb, "</strong><br><code>");
        cc_sb_esc(sb, cc_join_words(sb->pool, row->names, " "));
        cc_sb_add(sb, "</code></td>");
        cc_row_cells(sb, rc, row);
    }
    if (any) {
        cc_sb_add(sb, "</tbody></table></div>");
    }
}

static void cc_settings_category(cc_sb_t *sb, const cc_render_t *rc, int i)
{
    const cc_category_t *c = CC_CAT(rc->decl, i);
    int on = c->required || (rc->dec->decided && (rc->dec->allowed & (1u << i)));

    cc_sb_add(sb, "<section class=\"cc-category\"><div class=\"cc-category__head\">"
              "<input type=\"checkbox\" class=\"cc-switch\" role=\"switch\" name=\"category\" "
              "id=\"cc-cat-");
    cc_sb_esc(sb, c->name);
    cc_sb_add(sb, "\" value=\"");
    cc_sb_esc(sb, c->name);
    cc_sb_add(sb, "\" aria-describedby=\"cc-desc-");
    cc_sb_esc(sb, c->name);
    cc_sb_cat(sb, "\"", on ? " checked" : "", c->required ? " disabled" : "", "><label for=\"cc-cat-",
              NULL);
    cc_sb_esc(sb, c->name);
    cc_sb_add(sb, "\">");
    cc_sb_esc(sb, cc_cat_title(rc, c));
    if (c->required) {
        cc_sb_cat(sb, " <span class=\"cc-badge\">", TE(sb->pool, CC_S_ALWAYS_ON), "</span>", NULL);
    }
    cc_sb_add(sb, "</label></div><p class=\"cc-category__desc\" id=\"cc-desc-");
    cc_sb_esc(sb, c->name);
    cc_sb_add(sb, "\">");
    cc_sb_esc(sb, cc_cat_text(rc, c));
    cc_sb_add(sb, "</p>");
    cc_settings_cookies(sb, rc, i);
    cc_sb_add(sb, "</section>");
}

static void cc_page_head(cc_sb_t *sb, const cc_render_t *rc, const char *title)
{
    cc_sb_add(sb, "<!DOCTYPE html>\n<html lang=\"");
    cc_sb_esc(sb, rc->lang);
    cc_sb_add(sb, "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
              "content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" "
              "content=\"noindex\"><title>");
    cc_sb_esc(sb, title);
    cc_sb_add(sb, "</title>");
    cc_assets(sb, rc, 1);
    cc_sb_add(sb, "</head><body class=\"cc-page\"><main class=\"cc-root cc-page__main\">");
}

static void cc_page_tail(cc_sb_t *sb)
{
    cc_sb_add(sb, "</main></body></html>\n");
}

const char *cc_render_settings(apr_pool_t *p, const cc_render_t *rc, int fragment)
{
    cc_sb_t sb;
    int i;

    cc_sb_init(&sb, p, 8192);
    if (!fragment) {
        cc_page_head(&sb, rc, T(CC_S_PRIVACY_SETTINGS));
    }
    cc_sb_add(&sb, "<form class=\"cc-settings\" method=\"post\" action=\"");
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_cat(&sb, "/consent\" data-nosnippet lang=\"", NULL);
    cc_sb_esc(&sb, rc->lang);
    cc_sb_add(&sb, "\">");
    if (fragment) {
        /* The dialog's Close button (the script opens the fragment in a <dialog>), first in it:
         * floated, sticky, in the visitor's language. */
        cc_sb_cat(&sb, "<button type=\"button\" class=\"cc-dialog__close\" data-cc-close>",
                  TE(p, CC_S_CLOSE), "</button>", NULL);
    }
    cc_sb_cat(&sb, "<h1 class=\"cc-title\" id=\"cc-settings-title\">",
              TE(p, CC_S_PRIVACY_SETTINGS), "</h1><p class=\"cc-text\">", TE(p, CC_S_SETTINGS_INTRO),
              "</p>", NULL);
    if (!rc->dec->decided) {
        cc_sb_cat(&sb, "<p class=\"cc-text cc-state\">", TE(p, CC_S_NOT_DECIDED), "</p>", NULL);
    }
    cc_return_field(&sb, rc, 1);
    cc_source_field(&sb, "settings");
    for (i = 0; i < rc->decl->categories->nelts; i++) {
        cc_settings_category(&sb, rc, i);
    }
    if (fragment) {
        /* The layer the script opens in the page activates what is accepted without a reload;
         * a script already running cannot be unloaded, so a withdrawal reloads the page. (The
         * whole page always goes back to the site, so it needs no such note.) */
        cc_sb_cat(&sb, "<p class=\"cc-text cc-note\">", TE(p, CC_S_WITHDRAW_RELOADS), "</p>", NULL);
    }
    cc_sb_cat(&sb, "<div class=\"cc-actions\">"
              "<button type=\"submit\" class=\"cc-btn\" name=\"action\" value=\"save\">",
              TE(p, CC_S_SAVE), "</button>"
              "<button type=\"submit\" class=\"cc-btn\" name=\"action\" value=\"accept-all\">",
              TE(p, CC_S_ACCEPT_ALL), "</button>"
              "<button type=\"submit\" class=\"cc-btn\" name=\"action\" value=\"reject-all\">",
              TE(p, CC_S_REJECT_ALL), "</button></div><p class=\"cc-links\"><a href=\"", NULL);
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_add(&sb, "/policy?lang=");
    cc_sb_esc(&sb, rc->lang);
    cc_sb_cat(&sb, "\">", TE(p, CC_S_POLICY_LINK), "</a>", NULL);
    if (rc->dec->decided) {
        /* issue 10: the visitor's own record of the choice they made */
        cc_sb_add(&sb, " <a class=\"cc-receipt-link\" href=\"");
        cc_sb_esc(&sb, rc->endpoint);
        cc_sb_add(&sb, "/receipt?lang=");
        cc_sb_esc(&sb, rc->lang);
        cc_sb_cat(&sb, "\">", TE(p, CC_S_RECEIPT), "</a>", NULL);
    }
    if (!fragment) {
        /* Leaving without choosing records nothing: the visitor stays undecided. */
        cc_sb_add(&sb, " <a href=\"");
        cc_sb_esc(&sb, rc->return_path);
        cc_sb_cat(&sb, "\">", TE(p, CC_S_BACK), "</a>", NULL);
    }
    cc_sb_add(&sb, "</p></form>");
    if (!fragment) {
        cc_page_tail(&sb);
    }
    return cc_sb_str(&sb);
}

/* One category's rows in the seed policy's columns. */
static void cc_policy_rows(cc_sb_t *sb, const cc_render_t *rc, int i)
{
    const cc_decl_t *d = rc->decl;
    const char *type = cc_cat_title(rc, CC_CAT(d, i));
    int j;

    for (j = 0; j < d->cookies->nelts; j++) {
        const cc_cookie_decl_t *row = CC_ROW(d, j);
        if (row->category_index != i) {
            continue;
        }
        cc_sb_add(sb, "<tr><th scope=\"row\">");
        cc_sb_esc(sb, row->label);
        cc_sb_add(sb, "</th><td><code>");
        cc_sb_esc(sb, cc_join_words(sb->pool, row->names, " "));
        cc_sb_add(sb, "</code></td><td>");
        cc_sb_esc(sb, type);
        cc_sb_add(sb, "</td>");
        cc_row_cells(sb, rc, row);
    }
}

const char *cc_render_policy_html(apr_pool_t *p, const cc_render_t *rc)
{
    const cc_decl_t *d = rc->decl;
    cc_sb_t sb;
    int i;

    cc_sb_init(&sb, p, 16384);
    cc_page_head(&sb, rc, T(CC_S_POLICY_TITLE));
    cc_sb_cat(&sb, "<div class=\"cc-policy\" data-nosnippet><h1 class=\"cc-title\">",
              TE(p, CC_S_POLICY_TITLE), "</h1><p class=\"cc-text\">", TE(p, CC_S_POLICY_INTRO), "</p>",
              NULL);
    for (i = 0; i < d->categories->nelts; i++) {
        const cc_category_t *c = CC_CAT(d, i);
        cc_sb_add(&sb, "<section class=\"cc-category\" id=\"");
        cc_sb_esc(&sb, c->name);
        cc_sb_add(&sb, "\"><h2>");
        cc_sb_esc(&sb, cc_cat_title(rc, c));
        cc_sb_add(&sb, "</h2><p class=\"cc-category__desc\">");
        cc_sb_esc(&sb, cc_cat_text(rc, c));
        cc_sb_add(&sb, "</p>");
        cc_table_wrap(&sb, rc, cc_cat_title(rc, c));
        cc_sb_cat(&sb, "<table class=\"cc-cookies cc-policy__table\"><thead><tr><th scope=\"col\">", TE(p, CC_S_COL_NAME), "</th><th scope=\"col\">",
                  TE(p, CC_S_COL_COOKIE), "</th><th scope=\"col\">", TE(p, CC_S_COL_TYPE),
                  "</th><th scope=\"col\">", TE(p, CC_S_COL_WEBSITE), "</th><th scope=\"col\">",
                  TE(p, CC_S_COL_EXPLANATION), "</th><th scope=\"col\">", TE(p, CC_S_COL_RETENTION),
                  "</th></tr></thead><tbody>", NULL);
        cc_policy_rows(&sb, rc, i);
        cc_sb_add(&sb, "</tbody></table></div></section>");
    }
    cc_sb_cat(&sb, "<p class=\"cc-text\">",
              cc_html_escape(p, apr_psprintf(p, T(CC_S_LIFETIME),
                                            cc_render_lifetime(p, rc->decl->ui_texts, rc->lang,
                                                               rc->lifetime))),
              "</p><p class=\"cc-text\">", TE(p, CC_S_CHANGE), "</p><p class=\"cc-links\"><a href=\"",
              NULL);
    cc_sb_esc(&sb, rc->endpoint);
    cc_sb_add(&sb, "/settings?lang=");
    cc_sb_esc(&sb, rc->lang);
    cc_sb_cat(&sb, "\">", TE(p, CC_S_PRIVACY_SETTINGS), "</a></p></div>", NULL);
    cc_page_tail(&sb);
    return cc_sb_str(&sb);
}

static void cc_json_texts(cc_sb_t *sb, const apr_array_header_t *texts)
{
    const cc_text_t *t;
    int i;

    cc_sb_add(sb, "{");
    for (i = 0; texts && i < texts->nelts; i++) {
        t = &APR_ARRAY_IDX(texts, i, cc_text_t);
        cc_sb_cat(sb, i ? "," : "", cc_json_string(sb->pool, *t->lang ? t->lang : "default"),
                  ":", cc_json_string(sb->pool, t->text), NULL);
    }
    cc_sb_add(sb, "}");
}

static void cc_json_list(cc_sb_t *sb, const apr_array_header_t *a)
{
    int i;

    cc_sb_add(sb, "[");
    for (i = 0; a && i < a->nelts; i++) {
        cc_sb_cat(sb, i ? "," : "", cc_json_string(sb->pool, APR_ARRAY_IDX(a, i, const char *)),
                  NULL);
    }
    cc_sb_add(sb, "]");
}

static void cc_json_cookie(cc_sb_t *sb, const cc_render_t *rc, const cc_cookie_decl_t *row)
{
    cc_sb_cat(sb, "{\"name\":", cc_json_string(sb->pool, row->label), ",\"cookies\":", NULL);
    cc_json_list(sb, row->names);
    cc_sb_cat(sb, ",\"category\":", cc_json_string(sb->pool, row->category), ",\"domains\":",
              NULL);
    cc_json_list(sb, row->domains);
    cc_sb_cat(sb, ",\"path\":", cc_json_string(sb->pool, row->path), ",\"retention\":",
              cc_json_string(sb->pool, row->retention_text), ",\"retention_seconds\":",
              row->retention < 0 ? "null"
                                 : apr_psprintf(sb->pool, "%" APR_INT64_T_FMT, row->retention),
              ",\"retention_text\":",
              cc_json_string(sb->pool, cc_i18n_duration(sb->pool, rc->decl->ui_texts, rc->lang, row->retention_text)),
              ",\"purpose\":", cc_json_string(sb->pool, cc_text_pick(row->purposes, rc->lang)),
              ",\"purposes\":", NULL);
    cc_json_texts(sb, row->purposes);
    cc_sb_add(sb, "}");
}

const char *cc_render_policy_json(apr_pool_t *p, const cc_render_t *rc)
{
    const cc_decl_t *d = rc->decl;
    cc_sb_t sb;
    int i, j, first;

    cc_sb_init(&sb, p, 8192);
    cc_sb_cat(&sb, "{\"lang\":", cc_json_string(p, rc->lang), ",\"fingerprint\":",
              cc_json_string(p, d->fingerprint), ",\"consent_lifetime\":",
              apr_psprintf(p, "%" APR_INT64_T_FMT, rc->lifetime), ",\"consent_cookie\":",
              cc_json_string(p, d->consent_name), ",\"categories\":[", NULL);
    for (i = 0; i < d->categories->nelts; i++) {
        const cc_category_t *c = CC_CAT(d, i);
        cc_sb_cat(&sb, i ? "," : "", "{\"name\":", cc_json_string(p, c->name), ",\"required\":",
                  c->required ? "true" : "false", ",\"title\":",
                  cc_json_string(p, cc_cat_title(rc, c)), ",\"description\":",
                  cc_json_string(p, cc_cat_text(rc, c)), ",\"cookies\":[", NULL);
        for (j = 0, first = 1; j < d->cookies->nelts; j++) {
            if (CC_ROW(d, j)->category_index == i) {
                cc_sb_add(&sb, first ? "" : ",");
                cc_json_cookie(&sb, rc, CC_ROW(d, j));
                first = 0;
            }
        }
        cc_sb_add(&sb, "]}");
    }
    cc_sb_add(&sb, "]}\n");
    return cc_sb_str(&sb);
}

/* main.c - runs every unit test table; the last line is "unit: N passed, N failed". */
#include "cc_test.h"
#include "cc_decl.h"

#include <apr_general.h>
#include <apr_strings.h>

int cc_test_checks, cc_test_failures;
apr_pool_t *cc_test_pool;

static const cc_test_case *const cc_tables[] = {
    cc_glob_tests, cc_cookie_tests, cc_text_tests, cc_decl_tests, cc_consent_tests,
    cc_decision_tests, cc_form_tests, cc_matcher_tests, cc_render_tests, cc_interim_tests, cc_gate_tests, cc_http_tests, cc_record_tests,
    cc_mac_tests, cc_i18n_tests, cc_discover_tests, NULL
};

static cc_category_t *cc_cat(apr_pool_t *p, const char *name, int required)
{
    cc_category_t *c = apr_pcalloc(p, sizeof(*c));

    c->name = name;
    c->required = required;
    c->where = "test:1";
    return c;
}

cc_cookie_decl_t *cc_test_row(apr_pool_t *p, const char *label, const char *cat,
                              const char *names, const char *domain)
{
    cc_cookie_decl_t *r = apr_pcalloc(p, sizeof(*r));
    char *last, *w, *copy = apr_pstrdup(p, names);

    r->label = label;
    r->category = cat;
    r->names = apr_array_make(p, 2, sizeof(const char *));
    for (w = apr_strtok(copy, " ", &last); w; w = apr_strtok(NULL, " ", &last)) {
        APR_ARRAY_PUSH(r->names, const char *) = w;
    }
    if (domain) {
        r->domains = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(r->domains, const char *) = domain;
    }
    r->path = "/";
    r->retention = -1;
    r->where = "test:2";
    return r;
}

cc_decl_t *cc_test_decl(apr_pool_t *p)
{
    cc_decl_t *d = apr_pcalloc(p, sizeof(*d));
    const char *err;

    d->categories = apr_array_make(p, 3, sizeof(cc_category_t *));
    d->cookies = apr_array_make(p, 4, sizeof(cc_cookie_decl_t *));
    APR_ARRAY_PUSH(d->categories, cc_category_t *) = cc_cat(p, "necessary", 1);
    APR_ARRAY_PUSH(d->categories, cc_category_t *) = cc_cat(p, "statistical", 0);
    APR_ARRAY_PUSH(d->categories, cc_category_t *) = cc_cat(p, "marketing", 0);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(p, "Session", "necessary", "csrftoken sessionid", NULL);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(p, "Piwik", "statistical", "_pk_id* _pk_ses*", "shop.test");
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) = cc_test_row(p, "Ads", "marketing", "ad_*", NULL);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(p, "Both1", "statistical", "shared_*", NULL);
    APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) =
        cc_test_row(p, "Both2", "marketing", "shared_x*", NULL);
    d->consent_name = "cookieconsent";
    err = cc_decl_finish(p, d);
    if (err) {
        fprintf(stderr, "test declarations: %s\n", err);
    }
    return d;
}

int main(void)
{
    int t, i, failed_cases = 0, cases = 0, before;

    apr_initialize();
    apr_pool_create(&cc_test_pool, NULL);
    for (t = 0; cc_tables[t]; t++) {
        for (i = 0; cc_tables[t][i].name; i++) {
            before = cc_test_failures;
            cc_tables[t][i].fn();
            cases++;
            if (cc_test_failures != before) {
                failed_cases++;
                fprintf(stderr, "FAIL %s\n", cc_tables[t][i].name);
            }
            apr_pool_clear(cc_test_pool);
        }
    }
    apr_pool_destroy(cc_test_pool);
    apr_terminate();
    printf("unit: %d checks in %d tests\n", cc_test_checks, cases);
    printf("unit: %d passed, %d failed\n", cases - failed_cases, failed_cases);
    return failed_cases ? 1 : 0;
}

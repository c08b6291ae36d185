/* test_discover.c - the discovery report: name grouping, the table, third parties, the report. */
#include "cc_test.h"
#include "cc_discover.h"

#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <string.h>

static const char *group(const char *name)
{
    static char out[CC_DISC_NAME_MAX + 1];

    return cc_discover_group(name, out, sizeof(out)) ? out : NULL;
}

static void test_group_suffixes(void)
{
    CHECK_STR(group("_pk_id.1.8f3a"), "_pk_id.*");
    CHECK_STR(group("_pk_ses.12.abcd"), "_pk_ses.*");
    CHECK_STR(group("_ga_ABC123"), "_ga_*");
    CHECK_STR(group("_ga_2DPXQ9HYJ7"), "_ga_*");
    CHECK_STR(group("wp-settings-time-1"), "wp-settings-time-*");
    CHECK_STR(group("wp-settings-1"), "wp-settings-*");
    CHECK_STR(group("_hjSessionUser_1234567"), "_hjSessionUser_*");
    CHECK_STR(group("wordpress_logged_in_0123456789abcdef0123456789abcdef"),
              "wordpress_logged_in_*");
    CHECK_STR(group("_gat_UA-12345-1"), "_gat_UA-*");
    CHECK_STR(group("intercom-session-deadbeef"), "intercom-session-*");
}

static void test_group_kept(void)
{
    CHECK_STR(group("_ga"), "_ga");
    CHECK_STR(group("_gcl_au"), "_gcl_au");
    CHECK_STR(group("PHPSESSID"), "PHPSESSID");
    CHECK_STR(group("wordpress_test_cookie"), "wordpress_test_cookie");
    CHECK_STR(group("_fbp"), "_fbp");
    CHECK_STR(group("foo_v2"), "foo_v2");           /* "v2": too short to be an id */
    CHECK_STR(group("session2"), "session2");       /* no separator before the digits */
    CHECK_STR(group("_123"), "_123");               /* "_*" would say nothing */
    CHECK_STR(group("a_*"), "a_*");                 /* already a glob: as it is */
    CHECK_STR(group("x.1"), "x.1");                 /* one letter before the id */
    CHECK_STR(group("ab.1"), "ab.*");
    CHECK(group("") == NULL);
}

static void test_group_bounds(void)
{
    char out[8], big[200];

    CHECK_INT(cc_discover_group("_ga_ABC123", out, sizeof(out)), 5);   /* "_ga_*" fits */
    CHECK_STR(out, "_ga_*");
    CHECK_INT(cc_discover_group("PHPSESSID", out, sizeof(out)), 0);    /* 9 bytes + NUL */
    CHECK_INT(cc_discover_group("abcdefg", out, sizeof(out)), 7);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK(group(big) == NULL);                      /* over CC_DISC_NAME_MAX */
    memcpy(big + 60, "_0123456789abcdef0123456789abcdef", 34);   /* a long name, short glob */
    CHECK_STR(group(big + 40), "aaaaaaaaaaaaaaaaaaaa_*");
}

static cc_disc_table_t *table(void)
{
    cc_disc_table_t *t = apr_palloc(cc_test_pool, sizeof(*t));

    cc_disc_init(t);
    return t;
}

static const cc_disc_name_t *find(const cc_disc_table_t *t, const char *glob)
{
    int i;

    for (i = 0; i < CC_DISC_NAMES; i++) {
        if (t->names[i].ready && !strcmp(t->names[i].glob, glob)) {
            return &t->names[i];
        }
    }
    return NULL;
}

static void test_seen_set_cookie(void)
{
    cc_set_cookie_t sc;
    cc_disc_seen_t s;

    CHECK(!cc_set_cookie_parse(cc_test_pool, "_ga_X1=1; Domain=.example.org; Path=/; "
                               "Max-Age=63072000; Secure; SameSite=Lax", &sc));
    cc_disc_seen_set_cookie(&sc, 1000, &s);
    CHECK(s.flags & CC_DISC_F_SET_COOKIE);
    CHECK(s.flags & CC_DISC_F_PERSISTENT);
    CHECK(s.flags & CC_DISC_F_SECURE);
    CHECK(s.flags & CC_DISC_F_SS_LAX);
    CHECK(!(s.flags & CC_DISC_F_HTTPONLY));
    CHECK_INT(s.lifetime, 63072000);
    CHECK_STR(s.domain, "example.org");
    CHECK_STR(s.path, "/");
    /* Expires becomes a lifetime from now; Max-Age wins over it */
    CHECK(!cc_set_cookie_parse(cc_test_pool, "a=1; Expires=Thu, 01 Jan 1970 01:00:00 GMT", &sc));
    cc_disc_seen_set_cookie(&sc, 600, &s);
    CHECK_INT(s.lifetime, 3000);
    CHECK(!cc_set_cookie_parse(cc_test_pool, "a=1; Expires=Thu, 01 Jan 1970 01:00:00 GMT; "
                               "Max-Age=10", &sc));
    cc_disc_seen_set_cookie(&sc, 600, &s);
    CHECK_INT(s.lifetime, 10);
    CHECK(!cc_set_cookie_parse(cc_test_pool, "a=1; HttpOnly", &sc));
    cc_disc_seen_set_cookie(&sc, 600, &s);
    CHECK(s.flags & CC_DISC_F_SESSION);
    CHECK(s.flags & CC_DISC_F_HTTPONLY);
    CHECK(!(s.flags & CC_DISC_F_PERSISTENT));
    CHECK(!cc_set_cookie_parse(cc_test_pool, "a=; Max-Age=0", &sc));
    cc_disc_seen_set_cookie(&sc, 600, &s);
    CHECK(s.flags & CC_DISC_F_DELETION);
}

static void test_table_counts(void)
{
    cc_disc_table_t *t = table();
    cc_disc_seen_t req = {CC_DISC_F_REQUEST, 0, NULL, NULL};
    cc_disc_seen_t set = {CC_DISC_F_SET_COOKIE | CC_DISC_F_PERSISTENT, 86400, "example.org", "/"};
    cc_disc_seen_t longer = {CC_DISC_F_SET_COOKIE | CC_DISC_F_PERSISTENT, 90 * 86400,
                             "other.example", "/"};
    const cc_disc_name_t *e;

    CHECK_INT(cc_disc_cookie(t, "_ga_ABC123", &set, 100, "/a?secret=1"), 2);
    CHECK_INT(cc_disc_cookie(t, "_ga_XYZ789", &longer, 200, "/b"), 1);
    CHECK_INT(cc_disc_cookie(t, "_ga_ABC123", &req, 150, "/c"), 1);
    CHECK_INT(cc_disc_cookie(t, "theme", &req, 300, "/"), 2);
    e = find(t, "_ga_*");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT(e->count, 3);
        CHECK_STR(e->example, "_ga_ABC123");
        CHECK_STR(e->uri, "/a");                    /* the path only: no query string */
        CHECK_INT(e->first, 100);
        CHECK_INT(e->last, 150);                    /* the last store wins */
        CHECK_INT(e->max_age, 90 * 86400);          /* the largest */
        CHECK_STR(e->domain, "example.org");        /* the first one, and a flag */
        CHECK(e->flags & CC_DISC_F_DOMAINS);
        CHECK(e->flags & CC_DISC_F_REQUEST);
    }
    e = find(t, "theme");
    CHECK(e && !(e->flags & CC_DISC_F_SET_COOKIE) && e->count == 1);
    CHECK_INT(cc_disc_count_names(t), 2);
}

static void test_table_full(void)
{
    cc_disc_table_t *t = table();
    cc_disc_seen_t req = {CC_DISC_F_REQUEST, 0, NULL, NULL};
    char name[32];
    int i, new_ones = 0;

    for (i = 0; i < CC_DISC_NAMES + 10; i++) {
        apr_snprintf(name, sizeof(name), "name%c%c%c", 'a' + i % 26, 'a' + (i / 26) % 26,
                     'a' + i / 676);
        new_ones += cc_disc_cookie(t, name, &req, 1, "/") == 2;
    }
    CHECK_INT(new_ones, CC_DISC_NAMES);
    CHECK_INT(t->dropped_names, 10);
    CHECK_INT(cc_disc_count_names(t), CC_DISC_NAMES);
    /* known names are still counted */
    CHECK_INT(cc_disc_cookie(t, "nameaaa", &req, 2, "/"), 1);
}

#if APR_HAS_THREADS
typedef struct {
    cc_disc_table_t *t;
    int id;
} worker_arg;

static void *APR_THREAD_FUNC worker(apr_thread_t *th, void *data)
{
    worker_arg *a = data;
    cc_disc_seen_t req = {CC_DISC_F_REQUEST, 0, NULL, NULL};
    char name[32];
    int i;

    for (i = 0; i < 20000; i++) {
        apr_snprintf(name, sizeof(name), "_c%d_%d", i % 40, a->id * 1000 + i);
        cc_disc_cookie(a->t, name, &req, i, "/");
    }
    apr_thread_exit(th, APR_SUCCESS);
    return NULL;
}

/* Four threads insert and count the same 40 groups at once: each group once, no sighting lost
 * but those that met a slot being written. */
static void test_table_concurrent(void)
{
    cc_disc_table_t *t = table();
    apr_thread_t *th[4];
    worker_arg args[4];
    apr_status_t rv;
    apr_uint64_t total = 0;
    int i;

    for (i = 0; i < 4; i++) {
        args[i].t = t;
        args[i].id = i + 1;
        apr_thread_create(&th[i], NULL, worker, &args[i], cc_test_pool);
    }
    for (i = 0; i < 4; i++) {
        apr_thread_join(&rv, th[i]);
    }
    CHECK_INT(cc_disc_count_names(t), 40);
    for (i = 0; i < CC_DISC_NAMES; i++) {
        total += t->names[i].ready ? t->names[i].count : 0;
    }
    CHECK(total <= 80000 && total >= 80000 - 40 * 3);
    CHECK_INT(t->dropped_names, 0);
}
#endif

static void test_third_party(void)
{
    char host[CC_DISC_HOST_MAX + 1];

    CHECK(cc_disc_third_party("https://www.googletagmanager.com/gtag/js?id=G", "www.site.test",
                              host, sizeof(host)));
    CHECK_STR(host, "www.googletagmanager.com");
    CHECK(cc_disc_third_party("//Tracker.Example:8080/m.js", "site.test", host, sizeof(host)));
    CHECK_STR(host, "tracker.example");
    CHECK(!cc_disc_third_party("https://site.test/a.js", "site.test", host, sizeof(host)));
    CHECK(!cc_disc_third_party("https://cdn.site.test/a.js", "www.site.test", host,
                               sizeof(host)));
    CHECK(!cc_disc_third_party("https://SITE.test./a.js", "www.site.test", host, sizeof(host)));
    CHECK(cc_disc_third_party("https://notsite.test/a.js", "site.test", host, sizeof(host)));
    CHECK(!cc_disc_third_party("/local.js", "site.test", host, sizeof(host)));
    CHECK(!cc_disc_third_party("data:text/javascript,1", "site.test", host, sizeof(host)));
    CHECK(cc_disc_third_party("https://user:pw@evil.example/x", "site.test", host,
                              sizeof(host)));
    CHECK_STR(host, "evil.example");
    CHECK(!cc_disc_third_party("https://bad host/x", "site.test", host, sizeof(host)));
    CHECK(!cc_disc_third_party("https:///x", "site.test", host, sizeof(host)));
}

static void test_elements(void)
{
    cc_disc_table_t *t = table();
    int i, found = 0;

    CHECK_INT(cc_disc_element(t, "cdn.example", CC_DISC_K_SCRIPT, "https://cdn.example/a.js",
                              "/p?x=1", 10), 2);
    CHECK_INT(cc_disc_element(t, "cdn.example", CC_DISC_K_PIXEL, "https://cdn.example/p.gif",
                              "/q", 20), 1);
    for (i = 0; i < CC_DISC_HOSTS; i++) {
        if (t->hosts[i].ready) {
            found++;
            CHECK_INT(t->hosts[i].count, 2);
            CHECK_INT(t->hosts[i].kinds, CC_DISC_K_SCRIPT | CC_DISC_K_PIXEL);
            CHECK_STR(t->hosts[i].url, "https://cdn.example/a.js");
            CHECK_INT(t->hosts[i].last, 20);
        }
    }
    CHECK_INT(found, 1);
}

static void test_retention(void)
{
    CHECK_STR(cc_disc_retention(cc_test_pool, 0), "session");
    CHECK_STR(cc_disc_retention(cc_test_pool, 63072000), "2y");
    CHECK_STR(cc_disc_retention(cc_test_pool, 90 * 86400), "3mo");
    CHECK_STR(cc_disc_retention(cc_test_pool, 86400), "1d");
    CHECK_STR(cc_disc_retention(cc_test_pool, 86401), "2d");
    CHECK_STR(cc_disc_retention(cc_test_pool, 1000), "1d");
}

static int declared_theme(void *baton, const char *name)
{
    (void)baton;
    return !strcmp(name, "theme");
}

static int covered_none(void *baton, const char *url)
{
    (void)baton, (void)url;
    return 0;
}

static void test_report(void)
{
    cc_disc_table_t *t = table();
    cc_disc_seen_t set = {CC_DISC_F_SET_COOKIE | CC_DISC_F_PERSISTENT | CC_DISC_F_SECURE,
                          400 * 86400, "example.org", "/shop"};
    cc_disc_seen_t req = {CC_DISC_F_REQUEST, 0, NULL, NULL};
    cc_disc_report_t rep;
    const char *json, *html, *block;

    cc_disc_cookie(t, "_pk_id.1.8f3a", &set, 1700000000, "/shop/cart");
    cc_disc_cookie(t, "theme", &req, 1700000000, "/");
    cc_disc_cookie(t, "js<x>", &req, 1700000000, "/\"q\"");
    cc_disc_element(t, "evil.example", CC_DISC_K_IFRAME, "https://evil.example/<x>", "/", 1);
    memset(&rep, 0, sizeof(rep));
    rep.t = cc_disc_snapshot(cc_test_pool, t);
    rep.declared = declared_theme;
    rep.covered = covered_none;
    rep.categories = "necessary statistical";
    rep.vhost = "site.test:443";
    rep.since = 1699999999;
    rep.now = 1700000001;
    block = cc_disc_block(cc_test_pool, &rep, find(rep.t, "_pk_id.*"));
    CHECK(strstr(block, "<CookieConsentCookie \"_pk_id.*\">\n") != NULL);
    CHECK(strstr(block, "    Names _pk_id.*\n") != NULL);
    CHECK(strstr(block, "    Domain example.org\n") != NULL);
    CHECK(strstr(block, "    Path /shop\n") != NULL);
    CHECK(strstr(block, "    Retention 400d\n") != NULL);
    CHECK(strstr(block, "    Category CHOOSE\n") != NULL);
    CHECK(strstr(block, "one of necessary statistical") != NULL);
    CHECK(strstr(block, "over 13 months") != NULL);
    CHECK(strstr(block, "</CookieConsentCookie>\n") != NULL);
    json = cc_disc_report_json(cc_test_pool, &rep);
    CHECK(strstr(json, "\"glob\":\"_pk_id.*\"") != NULL);
    CHECK(strstr(json, "\"theme\"") == NULL);       /* declared now: left out */
    CHECK(strstr(json, "\"source\":\"javascript\"") != NULL);
    CHECK(strstr(json, "\"host\":\"evil.example\",\"kinds\":[\"iframe\"]") != NULL);
    CHECK(strstr(json, "\"vhost\":\"site.test:443\"") != NULL);
    CHECK(strstr(json, "\"max_age\":34560000") != NULL);
    html = cc_disc_report_html(cc_test_pool, &rep);
    CHECK(strstr(html, "<x>") == NULL);              /* escaped */
    CHECK(strstr(html, "js&lt;x&gt;") != NULL);
    CHECK(strstr(html, "&lt;CookieConsentCookie &quot;_pk_id.*&quot;&gt;") != NULL);
}

const cc_test_case cc_discover_tests[] = {
    {"discover_group_suffixes", test_group_suffixes},
    {"discover_group_kept", test_group_kept},
    {"discover_group_bounds", test_group_bounds},
    {"discover_seen_set_cookie", test_seen_set_cookie},
    {"discover_table_counts", test_table_counts},
    {"discover_table_full", test_table_full},
#if APR_HAS_THREADS
    {"discover_table_concurrent", test_table_concurrent},
#endif
    {"discover_third_party", test_third_party},
    {"discover_elements", test_elements},
    {"discover_retention", test_retention},
    {"discover_report", test_report},
    {NULL, NULL}
};

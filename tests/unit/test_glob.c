/* test_glob.c - cookie name patterns. */
#include "cc_test.h"
#include "cc_glob.h"

#include <string.h>

static void test_glob_literal(void)
{
    CHECK(cc_glob_match("csrftoken", "csrftoken"));
    CHECK(!cc_glob_match("csrftoken", "csrftoken2"));
    CHECK(!cc_glob_match("csrftoken", "csrftoke"));
    CHECK(!cc_glob_match("sessionid", "Sessionid"));    /* case-sensitive */
    CHECK(!cc_glob_match("a", ""));
    CHECK(cc_glob_match("", ""));
}

static void test_glob_star(void)
{
    CHECK(cc_glob_match("_pk_id*", "_pk_id"));
    CHECK(cc_glob_match("_pk_id*", "_pk_id.1.abcd"));
    CHECK(!cc_glob_match("_pk_id*", "x_pk_id.1"));
    CHECK(cc_glob_match("*", ""));
    CHECK(cc_glob_match("*", "anything"));
    CHECK(cc_glob_match("*_ga", "x_ga"));
    CHECK(!cc_glob_match("*_ga", "x_ga_"));
    CHECK(cc_glob_match("a*b*c", "aXbYc"));
    CHECK(cc_glob_match("a*b*c", "abc"));
    CHECK(cc_glob_match("a*b*c", "abcbc"));
    CHECK(!cc_glob_match("a*b*c", "abcb"));
    CHECK(cc_glob_match("**", "x"));
    CHECK(cc_glob_match("a*", "a"));
    CHECK(cc_glob_match("*a*a*a*b", "aaaaaaaaaaaaab"));
    CHECK(!cc_glob_match("*a*a*a*b", "aaaaaaaaaaaaaa"));
}

static void test_glob_question(void)
{
    CHECK(cc_glob_match("_ga_?", "_ga_X"));
    CHECK(!cc_glob_match("_ga_?", "_ga_"));
    CHECK(!cc_glob_match("_ga_?", "_ga_XY"));
    CHECK(cc_glob_match("?*", "a"));
    CHECK(!cc_glob_match("?*", ""));
    CHECK(cc_glob_match("a?c*", "abcdef"));
}

static void test_glob_pathological(void)
{
    char name[4001];

    /* Many stars against a long near-miss must finish fast (no exponential back-tracking). */
    memset(name, 'a', 4000);
    name[4000] = '\0';
    CHECK(!cc_glob_match("*a*a*a*a*a*a*a*a*a*a*b", name));
    CHECK(cc_glob_match("*a*a*a*a*a*a*a*a*a*a*", name));
}

static void test_glob_check(void)
{
    CHECK(cc_glob_check("_pk_id*") == NULL);
    CHECK(cc_glob_check("_ga_?") == NULL);
    CHECK(cc_glob_check("__Host-session") == NULL);
    CHECK(cc_glob_check("*") == NULL);
    CHECK(cc_glob_check("") != NULL);
    CHECK(cc_glob_check(NULL) != NULL);
    CHECK(cc_glob_check("_pk[id") != NULL);
    CHECK(cc_glob_check("a{b}") != NULL);
    CHECK(cc_glob_check("a=b") != NULL);
    CHECK(cc_glob_check("a;b") != NULL);
    CHECK(cc_glob_check("a b") != NULL);
    CHECK(cc_glob_check("a,b") != NULL);
    CHECK(cc_glob_check("a\\b") != NULL);
    CHECK(cc_glob_check("caf\xc3\xa9") != NULL);
    CHECK(cc_glob_check("a\tb") != NULL);
}

/* URL paths (CookieConsentExclude) use the same matcher: '*' crosses '/', the whole path must
 * match. */
static void test_path_glob_match(void)
{
    CHECK(cc_glob_match("/wp/2026/*", "/wp/2026/12/hello/"));
    CHECK(cc_glob_match("/wp/2026/*", "/wp/2026/"));
    CHECK(!cc_glob_match("/wp/2026/*", "/wp/2026"));
    CHECK(!cc_glob_match("/wp/2026/*", "/wp/20261/"));
    CHECK(!cc_glob_match("/wp/2026/*", "/blog/wp/2026/x"));    /* anchored at the start */
    CHECK(cc_glob_match("/wp/checkout*", "/wp/checkout"));
    CHECK(cc_glob_match("/wp/checkout*", "/wp/checkout-old/x"));
    CHECK(cc_glob_match("/*/feed/", "/wp/2026/12/hello/feed/"));
    CHECK(!cc_glob_match("/*/feed/", "/wp/feed/x"));           /* anchored at the end */
    CHECK(cc_glob_match("/wp/2?2?/*", "/wp/2026/12/"));
    CHECK(!cc_glob_match("/wp/2?2?/*", "/wp/202/12/"));
    CHECK(!cc_glob_match("/WP/*", "/wp/x"));                   /* case-sensitive */
    CHECK(cc_glob_match("/*.pdf", "/docs/a b/report.pdf"));
    CHECK(cc_glob_match("/caf\xc3\xa9/*", "/caf\xc3\xa9/menu"));
    CHECK(cc_glob_match("/*", "/"));
}

static void test_path_glob_check(void)
{
    CHECK(cc_path_glob_check("/wp/2026/*") == NULL);
    CHECK(cc_path_glob_check("/") == NULL);
    CHECK(cc_path_glob_check("/*") == NULL);
    CHECK(cc_path_glob_check("/wp/2?2?/*") == NULL);
    CHECK(cc_path_glob_check("/a b/c.html") == NULL);          /* a decoded %20 */
    CHECK(cc_path_glob_check("/caf\xc3\xa9/*") == NULL);
    CHECK(cc_path_glob_check("/100%/x") == NULL);               /* a lone % is a character */
    CHECK(cc_path_glob_check("/a%zz") == NULL);
    CHECK(cc_path_glob_check(NULL) != NULL);
    CHECK(cc_path_glob_check("") != NULL);
    CHECK(cc_path_glob_check("wp-admin/*") != NULL);
    CHECK(cc_path_glob_check("*/wp-admin/*") != NULL);
    CHECK(cc_path_glob_check("~/wp") != NULL);
    CHECK(cc_path_glob_check("http://example.com/wp/*") != NULL);
    CHECK(cc_path_glob_check("/caf%C3%A9/*") != NULL);
    CHECK(cc_path_glob_check("/a%2fb") != NULL);
    CHECK(cc_path_glob_check("/wp/20[0-9][0-9]/*") != NULL);
    CHECK(cc_path_glob_check("/{a,b}/") != NULL);
    CHECK(cc_path_glob_check("/a\\*") != NULL);
    CHECK(cc_path_glob_check("/a\tb") != NULL);
    CHECK(cc_path_glob_check("/a\x7f") != NULL);
}

static void test_token_char(void)
{
    CHECK(cc_token_char('a'));
    CHECK(cc_token_char('_'));
    CHECK(cc_token_char('.'));
    CHECK(cc_token_char('!'));
    CHECK(!cc_token_char(' '));
    CHECK(!cc_token_char('='));
    CHECK(!cc_token_char(';'));
    CHECK(!cc_token_char('"'));
    CHECK(!cc_token_char(0x7f));
    CHECK(!cc_token_char(0x80));
    /* Every byte against the definition: visible ASCII except the separators. */
    for (int c = 0; c < 256; c++) {
        int want = c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
        CHECK(cc_token_char((unsigned char)c) == want);
    }
}

static void test_token_valid(void)
{
    CHECK(cc_token_valid("cookieconsent"));
    CHECK(cc_token_valid("__Host-cc"));
    CHECK(cc_token_valid("a!#$%&'*+-.^_`|~9"));
    CHECK(!cc_token_valid(""));
    CHECK(!cc_token_valid(NULL));
    CHECK(!cc_token_valid("a b"));
    CHECK(!cc_token_valid("a=b"));
    CHECK(!cc_token_valid("a;b"));
    CHECK(!cc_token_valid("a,b"));
    CHECK(!cc_token_valid("a\"b"));
    CHECK(!cc_token_valid("caf\xc3\xa9"));
    CHECK(!cc_token_valid("a\tb"));
}

const cc_test_case cc_glob_tests[] = {
    {"token_valid", test_token_valid},
    {"glob_literal", test_glob_literal},
    {"glob_star", test_glob_star},
    {"glob_question", test_glob_question},
    {"glob_pathological", test_glob_pathological},
    {"glob_check", test_glob_check},
    {"path_glob_match", test_path_glob_match},
    {"path_glob_check", test_path_glob_check},
    {"token_char", test_token_char},
    {NULL, NULL}
};

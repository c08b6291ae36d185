/* test_glob.c - cookie name patterns. */
#include "cc_test.h"
#include "cc_glob.h"

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
}

const cc_test_case cc_glob_tests[] = {
    {"glob_literal", test_glob_literal},
    {"glob_star", test_glob_star},
    {"glob_question", test_glob_question},
    {"glob_pathological", test_glob_pathological},
    {"glob_check", test_glob_check},
    {"token_char", test_token_char},
    {NULL, NULL}
};

/* cc_glob.c - cookie name and URL path patterns. */
#include "cc_glob.h"

#include <stddef.h>
#include <string.h>

/* RFC 7230 tchar plus the other visible bytes a cookie name may hold: everything from 0x21 to
 * 0x7e except the separators. A table, as this runs for every byte of every name. */
#define CC_T(c) [c] = 1
static const unsigned char cc_token_table[256] = {
    CC_T('!'), CC_T('#'), CC_T('$'), CC_T('%'), CC_T('&'), CC_T('\''), CC_T('*'), CC_T('+'),
    CC_T('-'), CC_T('.'), CC_T('0'), CC_T('1'), CC_T('2'), CC_T('3'), CC_T('4'), CC_T('5'),
    CC_T('6'), CC_T('7'), CC_T('8'), CC_T('9'), CC_T('A'), CC_T('B'), CC_T('C'), CC_T('D'),
    CC_T('E'), CC_T('F'), CC_T('G'), CC_T('H'), CC_T('I'), CC_T('J'), CC_T('K'), CC_T('L'),
    CC_T('M'), CC_T('N'), CC_T('O'), CC_T('P'), CC_T('Q'), CC_T('R'), CC_T('S'), CC_T('T'),
    CC_T('U'), CC_T('V'), CC_T('W'), CC_T('X'), CC_T('Y'), CC_T('Z'), CC_T('^'), CC_T('_'),
    CC_T('`'), CC_T('a'), CC_T('b'), CC_T('c'), CC_T('d'), CC_T('e'), CC_T('f'), CC_T('g'),
    CC_T('h'), CC_T('i'), CC_T('j'), CC_T('k'), CC_T('l'), CC_T('m'), CC_T('n'), CC_T('o'),
    CC_T('p'), CC_T('q'), CC_T('r'), CC_T('s'), CC_T('t'), CC_T('u'), CC_T('v'), CC_T('w'),
    CC_T('x'), CC_T('y'), CC_T('z'), CC_T('|'), CC_T('~'),
};
#undef CC_T

int cc_token_char(unsigned char c)
{
    return cc_token_table[c];
}

/*
 * Iterative matcher with a single back-track point: on a mismatch after a '*', the star absorbs one
 * more byte and matching resumes. Linear in practice, worst case O(len(pattern) * len(name)), never
 * exponential whatever the number of stars.
 */
int cc_glob_match(const char *pattern, const char *name)
{
    const char *star = NULL;
    const char *resume = NULL;

    while (*name) {
        if (*pattern == '*') {
            star = pattern++;
            resume = name;
        }
        else if (*pattern == '?' || *pattern == *name) {
            pattern++;
            name++;
        }
        else if (star) {
            pattern = star + 1;
            name = ++resume;
        }
        else {
            return 0;
        }
    }
    while (*pattern == '*') {
        pattern++;
    }
    return *pattern == '\0';
}

const char *cc_glob_check(const char *pattern)
{
    const unsigned char *s = (const unsigned char *)pattern;

    if (!s || !*s) {
        return "empty pattern";
    }
    for (; *s; s++) {
        if (*s == '*' || *s == '?') {
            continue;
        }
        if (*s == '[' || *s == ']' || *s == '{' || *s == '}' || *s == '\\') {
            return "only * and ? are wildcards; [ ] { } \\ cannot appear in a cookie name";
        }
        if (!cc_token_char(*s)) {
            return "contains a character that cannot appear in a cookie name";
        }
    }
    return NULL;
}

static int cc_hex_digit(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

const char *cc_path_glob_check(const char *pattern)
{
    const unsigned char *s = (const unsigned char *)pattern;

    if (!s || !*s) {
        return "empty pattern";
    }
    if (*s != '/') {
        return "not an absolute URL path: it must start with / (e.g. /wp/checkout/*)";
    }
    for (; *s; s++) {
        if (*s < 0x20 || *s == 0x7f) {
            return "contains a control character";
        }
        if (*s == '[' || *s == ']' || *s == '{' || *s == '}' || *s == '\\') {
            return "only * and ? are wildcards: brackets, braces and backslashes would be taken "
                   "literally (write one pattern per alternative)";
        }
        if (*s == '%' && cc_hex_digit(s[1]) && cc_hex_digit(s[2])) {
            return "contains a %-escape: the path is matched decoded, as <Location> matches it; "
                   "write the character itself";
        }
    }
    return NULL;
}

int cc_token_valid(const char *s)
{
    if (!s || !*s) {
        return 0;
    }
    for (; *s; s++) {
        if (!cc_token_char((unsigned char)*s)) {
            return 0;
        }
    }
    return 1;
}

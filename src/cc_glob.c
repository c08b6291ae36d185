/* cc_glob.c - cookie name and URL path patterns. */
#include "cc_glob.h"

#include <stddef.h>
#include <string.h>

int cc_token_char(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f) {
        return 0;
    }
    return strchr("\"(),/:;<=>?@[\\]{}", c) == NULL;
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

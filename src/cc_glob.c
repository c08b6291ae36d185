/* cc_glob.c - cookie name patterns. */
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

/* cc_glob.h - cookie name patterns: '*' (any run) and '?' (one byte), case-sensitive. */
#ifndef CC_GLOB_H
#define CC_GLOB_H

/* 1 when name matches pattern, else 0. Both are NUL-terminated. */
int cc_glob_match(const char *pattern, const char *name);

/* NULL when pattern can be used, else a static sentence saying what is wrong with it. */
const char *cc_glob_check(const char *pattern);

/* 1 when c may appear in a cookie name (an RFC 9110 token character). */
int cc_token_char(unsigned char c);

#endif

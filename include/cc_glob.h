/* cc_glob.h - patterns of cookie names and of URL paths (CookieConsentExclude): '*' (any run of
 * bytes, '/' included) and '?' (one byte), case-sensitive, matching the whole string. */
#ifndef CC_GLOB_H
#define CC_GLOB_H

/* 1 when name matches pattern, else 0. Both are NUL-terminated. */
int cc_glob_match(const char *pattern, const char *name);

/* NULL when pattern can be used, else a static sentence saying what is wrong with it. */
const char *cc_glob_check(const char *pattern);

/* NULL when pattern can be used as a URL path pattern (CookieConsentExclude), else a static
 * sentence saying what is wrong with it: it must be an absolute path ("/..."), without control
 * characters, %-escapes (paths are matched decoded) or [ ] { } \ (not wildcards here). */
const char *cc_path_glob_check(const char *pattern);

/* 1 when c may appear in a cookie name (an RFC 9110 token character). */
int cc_token_char(unsigned char c);

/* 1 when s is a non-empty token: a cookie name a browser can store and send back. */
int cc_token_valid(const char *s);

#endif

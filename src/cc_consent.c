/* cc_consent.c - the consent cookie's value (version 2, signed). */
#include "cc_consent.h"

#include <apr_encode.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#define CC_CAT(d, i) (APR_ARRAY_IDX((d)->categories, (i), cc_category_t *))

static int cc_b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || c == '-' || c == '_';
}

static int cc_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The '.'-ended field at *s (before end): exactly n bytes of class, copied into out (n + 1
 * bytes) and *s moved past its dot; -1 otherwise. */
static int cc_fixed_field(const char **s, const char *end, apr_size_t n, int (*class)(char),
                          char *out)
{
    const char *dot = memchr(*s, '.', (apr_size_t)(end - *s));
    apr_size_t i;

    if (!dot || (apr_size_t)(dot - *s) != n) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (!class((*s)[i])) {
            return -1;
        }
    }
    memcpy(out, *s, n);
    out[n] = '\0';
    *s = dot + 1;
    return 0;
}

/* The declared category of the len bytes at name, or -1. */
static int cc_category_at(const cc_decl_t *d, const char *name, apr_size_t len)
{
    int i;

    for (i = 0; i < d->categories->nelts; i++) {
        const char *c = CC_CAT(d, i)->name;
        if (!strncmp(c, name, len) && !c[len]) {
            return i;
        }
    }
    return -1;
}

/* Categories joined by '+', or "-", in [s, end). Only optional declared categories, each once:
 * anything else is not a value this module wrote. With a stale fingerprint names are not
 * checked. */
static int cc_parse_categories(const cc_decl_t *d, const char *s, const char *end, int check,
                               apr_uint32_t *mask)
{
    const char *plus;
    int idx;

    *mask = 0;
    if (end - s == 1 && *s == '-') {
        return 0;
    }
    for (;; s = plus + 1) {
        plus = memchr(s, '+', (apr_size_t)(end - s));
        if (!plus) {
            plus = end;
        }
        if (plus == s) {
            return -1;
        }
        if (check) {
            idx = cc_category_at(d, s, (apr_size_t)(plus - s));
            if (idx < 0 || (d->required_mask & (1u << idx)) || (*mask & (1u << idx))) {
                return -1;
            }
            *mask |= 1u << idx;
        }
        if (plus == end) {
            return 0;
        }
    }
}

/* The fields after the version: <fingerprint>.<time>.<id>.<categories>, len bytes of s, read
 * in place (this runs for every request of a visitor who chose). */
static cc_consent_status_e cc_consent_fields(const cc_decl_t *d, const char *s, apr_size_t len,
                                             int check, cc_consent_t *out, int *current)
{
    const char *end = s + len, *dot;
    apr_size_t n, i;

    /* fingerprint: 12 lower-case hex digits */
    if (cc_fixed_field(&s, end, CC_FINGERPRINT_LEN, cc_lower_hex, out->fingerprint)) {
        return CC_CONSENT_MALFORMED;
    }
    /* time: 12 digits reach year 33000; no sign, no leading zero beyond a lone "0" */
    dot = memchr(s, '.', (apr_size_t)(end - s));
    n = dot ? (apr_size_t)(dot - s) : 0;
    if (!n || n > 12 || (s[0] == '0' && n > 1)) {
        return CC_CONSENT_MALFORMED;
    }
    out->time = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return CC_CONSENT_MALFORMED;
        }
        out->time = out->time * 10 + (s[i] - '0');
    }
    s = dot + 1;
    /* id: 22 base64url characters */
    if (cc_fixed_field(&s, end, CC_CONSENT_ID_LEN, cc_b64url_char, out->id)) {
        return CC_CONSENT_MALFORMED;
    }
    /* categories: the rest */
    if (memchr(s, '.', (apr_size_t)(end - s))) {
        return CC_CONSENT_MALFORMED;
    }
    *current = check && !strcmp(out->fingerprint, d->fingerprint);
    if (cc_parse_categories(d, s, end, *current, &out->accepted)) {
        return CC_CONSENT_MALFORMED;
    }
    return CC_CONSENT_VALID;
}

cc_consent_status_e cc_consent_decode(const cc_decl_t *d, const cc_mac_signer_t *sig,
                                      const char *value, apr_int64_t now, apr_int64_t lifetime,
                                      cc_consent_t *out)
{
    apr_size_t len;
    const char *mac;
    int current = 0, i;

    memset(out, 0, sizeof(*out));
    if (!value || !*value) {
        return CC_CONSENT_ABSENT;
    }
    len = strlen(value);
    if (len > CC_CONSENT_MAX_LEN) {
        return CC_CONSENT_MALFORMED;
    }
    if (!strncmp(value, "1.", 2)) {
        /* Version 1 had no MAC: anybody could write one. Asked again, like a stale value. */
        if (cc_consent_fields(d, value + 2, len - 2, 0, out, &current) != CC_CONSENT_VALID) {
            memset(out, 0, sizeof(*out));
            return CC_CONSENT_MALFORMED;
        }
        return CC_CONSENT_UNSIGNED;
    }
    if (strncmp(value, "2.", 2) || len < 2 + CC_MAC_TEXT_LEN + 1
        || value[len - CC_MAC_TEXT_LEN - 1] != '.') {
        return CC_CONSENT_MALFORMED;
    }
    mac = value + len - CC_MAC_TEXT_LEN;
    for (i = 0; i < CC_MAC_TEXT_LEN; i++) {
        if (!cc_b64url_char(mac[i])) {
            return CC_CONSENT_MALFORMED;
        }
    }
    /* The MAC first: nothing of an unauthenticated value is looked at, or reported. A value
     * this process found good before (the same bytes, for the same site) is not checked twice. */
    if (!(sig && sig->memo && sig->memo->seen(sig, value, len))) {
        if (cc_mac_check(sig, value, len - CC_MAC_TEXT_LEN - 1, mac) < 0) {
            return CC_CONSENT_BAD_MAC;
        }
        if (sig && sig->memo) {
            sig->memo->verified(sig, value, len);
        }
    }
    if (cc_consent_fields(d, value + 2, len - CC_MAC_TEXT_LEN - 3, 1, out, &current)
        != CC_CONSENT_VALID) {
        memset(out, 0, sizeof(*out));
        return CC_CONSENT_MALFORMED;
    }
    if (!current) {
        return CC_CONSENT_STALE;
    }
    if (out->time > now + CC_CONSENT_SKEW) {
        return CC_CONSENT_FUTURE;
    }
    if (now - out->time > lifetime) {
        return CC_CONSENT_EXPIRED;
    }
    return CC_CONSENT_VALID;
}

const char *cc_consent_encode(apr_pool_t *p, const cc_decl_t *d, const cc_mac_signer_t *sig,
                              apr_uint32_t accepted, apr_int64_t now, const char *id)
{
    char mac[CC_MAC_TEXT_LEN + 1];
    const char *cats = "", *body;
    int i;

    if (!sig || !sig->keys || !sig->keys->nelts) {
        return NULL;
    }
    accepted &= d->optional_mask;
    for (i = 0; i < d->categories->nelts; i++) {
        if (accepted & (1u << i)) {
            cats = apr_pstrcat(p, cats, *cats ? "+" : "", CC_CAT(d, i)->name, NULL);
        }
    }
    body = apr_psprintf(p, "2.%s.%" APR_INT64_T_FMT ".%s.%s", d->fingerprint, now, id,
                        *cats ? cats : "-");
    if (cc_mac_text(&APR_ARRAY_IDX(sig->keys, 0, cc_mac_key_t), sig->site ? sig->site : "",
                    body, strlen(body), mac)) {
        return NULL;
    }
    return apr_pstrcat(p, body, ".", mac, NULL);
}

apr_status_t cc_consent_new_id(apr_pool_t *p, const char **id)
{
    unsigned char raw[16];
    apr_size_t len = 0;
    apr_status_t rv = apr_generate_random_bytes(raw, sizeof(raw));

    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* RFC 4648 base64url without padding: 16 bytes are CC_CONSENT_ID_LEN characters */
    *id = apr_pencode_base64_binary(p, raw, sizeof(raw), APR_ENCODE_BASE64URL, &len);
    return *id && len == CC_CONSENT_ID_LEN ? APR_SUCCESS : APR_EGENERAL;
}

const char *cc_consent_status_name(cc_consent_status_e status)
{
    switch (status) {
    case CC_CONSENT_VALID:
        return "valid";
    case CC_CONSENT_ABSENT:
        return "absent";
    case CC_CONSENT_MALFORMED:
        return "malformed";
    case CC_CONSENT_STALE:
        return "stale";
    case CC_CONSENT_EXPIRED:
        return "expired";
    case CC_CONSENT_FUTURE:
        return "future";
    case CC_CONSENT_CONFLICT:
        return "conflict";
    case CC_CONSENT_BAD_MAC:
        return "bad-mac";
    case CC_CONSENT_UNSIGNED:
        return "unsigned";
    }
    return "unknown";
}

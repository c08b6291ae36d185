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

/* The next '.'-separated field of *s, of at most max bytes, copied into buf; -1 when too long. */
static int cc_field(const char **s, char *buf, apr_size_t max)
{
    const char *dot = strchr(*s, '.');
    apr_size_t len = dot ? (apr_size_t)(dot - *s) : strlen(*s);

    if (len > max) {
        return -1;
    }
    memcpy(buf, *s, len);
    buf[len] = '\0';
    *s += len + (dot ? 1 : 0);
    return dot ? 1 : 0;
}

static int cc_parse_fingerprint(const char *f, cc_consent_t *out)
{
    int i;

    if (strlen(f) != CC_FINGERPRINT_LEN) {
        return -1;
    }
    for (i = 0; i < CC_FINGERPRINT_LEN; i++) {
        if (!((f[i] >= '0' && f[i] <= '9') || (f[i] >= 'a' && f[i] <= 'f'))) {
            return -1;
        }
    }
    memcpy(out->fingerprint, f, CC_FINGERPRINT_LEN + 1);
    return 0;
}

static int cc_parse_time(const char *f, apr_int64_t *t)
{
    apr_size_t len = strlen(f), i;

    /* 12 digits reach year 33000; no sign, no leading zero tricks beyond a lone "0". */
    if (!len || len > 12 || (f[0] == '0' && len > 1)) {
        return -1;
    }
    *t = 0;
    for (i = 0; i < len; i++) {
        if (f[i] < '0' || f[i] > '9') {
            return -1;
        }
        *t = *t * 10 + (f[i] - '0');
    }
    return 0;
}

static int cc_parse_id(const char *f, cc_consent_t *out)
{
    int i;

    if (strlen(f) != CC_CONSENT_ID_LEN) {
        return -1;
    }
    for (i = 0; i < CC_CONSENT_ID_LEN; i++) {
        if (!cc_b64url_char(f[i])) {
            return -1;
        }
    }
    memcpy(out->id, f, CC_CONSENT_ID_LEN + 1);
    return 0;
}

/* Categories joined by '+', or "-". Only optional declared categories, each once: anything else
 * is not a value this module wrote. With a stale fingerprint names are not checked. */
static int cc_parse_categories(const cc_decl_t *d, char *f, int check, apr_uint32_t *mask)
{
    char *name, *next;
    int idx;

    *mask = 0;
    if (!strcmp(f, "-")) {
        return 0;
    }
    for (name = f; name; name = next) {
        next = strchr(name, '+');
        if (next) {
            *next++ = '\0';
        }
        if (!*name) {
            return -1;
        }
        if (!check) {
            continue;
        }
        idx = cc_decl_category_index(d, name);
        if (idx < 0 || (d->required_mask & (1u << idx)) || (*mask & (1u << idx))) {
            return -1;
        }
        *mask |= 1u << idx;
    }
    return 0;
}

/* The fields after the version: <fingerprint>.<time>.<id>.<categories>, len bytes of s. */
static cc_consent_status_e cc_consent_fields(const cc_decl_t *d, const char *s, apr_size_t len,
                                             int check, cc_consent_t *out, int *current)
{
    char buf[CC_CONSENT_MAX_LEN + 1];
    char fields[CC_CONSENT_MAX_LEN + 1];
    const char *f = fields;

    memcpy(fields, s, len);
    fields[len] = '\0';
    if (cc_field(&f, buf, CC_FINGERPRINT_LEN) != 1 || cc_parse_fingerprint(buf, out)
        || cc_field(&f, buf, 12) != 1 || cc_parse_time(buf, &out->time)
        || cc_field(&f, buf, CC_CONSENT_ID_LEN) != 1 || cc_parse_id(buf, out)
        || cc_field(&f, buf, CC_CONSENT_MAX_LEN) != 0) {
        return CC_CONSENT_MALFORMED;
    }
    *current = check && !strcmp(out->fingerprint, d->fingerprint);
    if (cc_parse_categories(d, buf, *current, &out->accepted)) {
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
    /* The MAC first: nothing of an unauthenticated value is looked at, or reported. */
    if (cc_mac_check(sig, value, len - CC_MAC_TEXT_LEN - 1, mac) < 0) {
        return CC_CONSENT_BAD_MAC;
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

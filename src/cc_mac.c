/* cc_mac.c - consent keys and their MACs (HMAC-SHA-256, OpenSSL's libcrypto). */
#include "cc_mac.h"

#include <apr_encode.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

/* Domain separation: these keys sign nothing else, but a label makes that true by construction. */
#define CC_MAC_LABEL "mod_cookieconsent consent v2"

static apr_status_t cc_mac_keys_wipe(void *data)
{
    apr_array_header_t *keys = data;
    int i;

    for (i = 0; i < keys->nelts; i++) {
        EVP_MAC_CTX_free(APR_ARRAY_IDX(keys, i, cc_mac_key_t).keyed);
    }
    OPENSSL_cleanse(keys->elts, (size_t)keys->nalloc * (size_t)keys->elt_size);
    return APR_SUCCESS;
}

/* An HMAC-SHA-256 context with the key absorbed: each MAC then starts from a copy of it rather
 * than fetching the algorithm and hashing the key again (most of the cost of a short message). */
static EVP_MAC_CTX *cc_mac_keyed(const unsigned char *key, apr_size_t len)
{
    EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
    OSSL_PARAM params[2];

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (ctx && !EVP_MAC_init(ctx, key, len, params)) {
        EVP_MAC_CTX_free(ctx);
        ctx = NULL;
    }
    EVP_MAC_free(hmac);                 /* the context keeps its own reference */
    return ctx;
}

static int cc_hex_value(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One key line (no blanks around it) into k; NULL or what is wrong. */
static const char *cc_mac_key_read(apr_pool_t *p, const char *s, apr_size_t len, cc_mac_key_t *k)
{
    apr_size_t i, n = 0;
    const unsigned char *raw;

    for (i = 0; i < len && cc_hex_value((unsigned char)s[i]) >= 0; i++) {
    }
    if (i == len && len % 2 == 0) {
        /* hex (openssl rand -hex 32): a line of hex digits is never read as base64 */
        if (len / 2 > CC_MAC_KEY_MAX) {
            return apr_psprintf(p, "the key is %" APR_SIZE_T_FMT " bytes, more than %d",
                                len / 2, CC_MAC_KEY_MAX);
        }
        for (i = 0; i < len; i += 2) {
            k->bytes[i / 2] = (unsigned char)(cc_hex_value((unsigned char)s[i]) * 16
                                              + cc_hex_value((unsigned char)s[i + 1]));
        }
        k->len = len / 2;
    }
    else {
        /* base64 or base64url, padded or not (openssl rand -base64 32) */
        for (i = 0; i < len; i++) {
            if (!apr_isalnum(s[i]) && !strchr("+/-_=", s[i])) {
                return apr_psprintf(p, "'%c' is neither hex nor base64: a key is 64 or more hex "
                                    "digits or the base64 of 32 or more random bytes",
                                    apr_isprint(s[i]) ? s[i] : '?');
            }
        }
        raw = apr_pdecode_base64_binary(p, s, (apr_ssize_t)len, APR_ENCODE_NONE, &n);
        if (!raw) {
            return "not valid base64 (nor hex): a key is 64 or more hex digits or the base64 "
                   "of 32 or more random bytes";
        }
        if (n > CC_MAC_KEY_MAX) {
            OPENSSL_cleanse((void *)raw, n);
            return apr_psprintf(p, "the key is %" APR_SIZE_T_FMT " bytes, more than %d", n,
                                CC_MAC_KEY_MAX);
        }
        memcpy(k->bytes, raw, n);
        OPENSSL_cleanse((void *)raw, n);
        k->len = n;
    }
    if (k->len < CC_MAC_KEY_MIN) {
        return apr_psprintf(p, "the key is %" APR_SIZE_T_FMT " bytes, fewer than %d: make one "
                            "with openssl rand -hex %d", k->len, CC_MAC_KEY_MIN, CC_MAC_KEY_MIN);
    }
    return NULL;
}

const char *cc_mac_keys_parse(apr_pool_t *p, const char *text, apr_size_t len,
                              apr_array_header_t **keys, int *line)
{
    /* room for every key at once: a reallocation would leave a copy of the keys behind, unwiped */
    apr_array_header_t *out = apr_array_make(p, CC_MAC_KEYS_MAX, sizeof(cc_mac_key_t));
    const char *s = text, *end = text + len, *eol, *a, *b;
    const char *err;
    int n = 0;

    apr_pool_cleanup_register(p, out, cc_mac_keys_wipe, apr_pool_cleanup_null);
    *keys = NULL;
    *line = 0;
    if (memchr(text, '\0', len)) {
        return "the file contains a NUL byte: it is not a text file of keys";
    }
    for (; s < end; s = eol + 1) {
        cc_mac_key_t *k;

        n++;
        eol = memchr(s, '\n', (apr_size_t)(end - s));
        if (!eol) {
            eol = end;
        }
        for (a = s; a < eol && (*a == ' ' || *a == '\t' || *a == '\r'); a++) {
        }
        for (b = eol; b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'); b--) {
        }
        if (a == b || *a == '#') {
            continue;
        }
        if (out->nelts == CC_MAC_KEYS_MAX) {
            *line = n;
            return apr_psprintf(p, "more than %d keys: keep the signing key and the ones still "
                                "in visitors' cookies (a consent lasts its lifetime)",
                                CC_MAC_KEYS_MAX);
        }
        k = apr_array_push(out);
        k->keyed = NULL;
        if ((err = cc_mac_key_read(p, a, (apr_size_t)(b - a), k))) {
            *line = n;
            return err;
        }
        if (!(k->keyed = cc_mac_keyed(k->bytes, k->len))) {
            *line = n;
            return "OpenSSL's libcrypto has no HMAC-SHA-256 for this key";
        }
    }
    if (!out->nelts) {
        return "no key in the file: write one with openssl rand -hex 32";
    }
    *keys = out;
    return NULL;
}

const char *cc_mac_key_generate(apr_pool_t *p)
{
    unsigned char raw[CC_MAC_KEY_MIN];
    char *hex = apr_palloc(p, 2 * sizeof(raw) + 2);
    apr_size_t i;

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        return NULL;
    }
    for (i = 0; i < sizeof(raw); i++) {
        hex[2 * i] = "0123456789abcdef"[raw[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[raw[i] & 15];
    }
    OPENSSL_cleanse(raw, sizeof(raw));
    hex[2 * sizeof(raw)] = '\n';
    hex[2 * sizeof(raw) + 1] = '\0';
    return hex;
}

int cc_mac_text(const cc_mac_key_t *key, const char *site, const char *msg, apr_size_t len,
                char out[CC_MAC_TEXT_LEN + 1])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t maclen = 0;
    apr_size_t outlen = 0;
    EVP_MAC_CTX *ctx = key->keyed ? EVP_MAC_CTX_dup(key->keyed)
                                  : cc_mac_keyed(key->bytes, key->len);
    int ok;

    /* The site name and the value are separated by "\n", which neither can contain: one
     * message can be read only one way. */
    ok = ctx
         && EVP_MAC_update(ctx, (const unsigned char *)CC_MAC_LABEL "\n",
                           sizeof(CC_MAC_LABEL))
         && EVP_MAC_update(ctx, (const unsigned char *)site, strlen(site))
         && EVP_MAC_update(ctx, (const unsigned char *)"\n", 1)
         && EVP_MAC_update(ctx, (const unsigned char *)msg, len)
         && EVP_MAC_final(ctx, mac, &maclen, sizeof(mac)) && maclen >= CC_MAC_LEN
         && apr_encode_base64_binary(out, mac, CC_MAC_LEN, APR_ENCODE_BASE64URL, &outlen)
            == APR_SUCCESS && outlen == CC_MAC_TEXT_LEN;
    EVP_MAC_CTX_free(ctx);
    OPENSSL_cleanse(mac, sizeof(mac));
    if (!ok) {
        out[0] = '\0';
        return -1;
    }
    out[CC_MAC_TEXT_LEN] = '\0';
    return 0;
}

int cc_mac_check(const cc_mac_signer_t *s, const char *msg, apr_size_t len, const char *text)
{
    char want[CC_MAC_TEXT_LEN + 1];
    int i;

    if (!s || !s->keys || strlen(text) != CC_MAC_TEXT_LEN) {
        return -1;
    }
    for (i = 0; i < s->keys->nelts; i++) {
        /* Comparing the text, not decoded bytes, also refuses a second spelling of the same
         * bytes (the last base64url character carries 4 unused bits). */
        if (!cc_mac_text(&APR_ARRAY_IDX(s->keys, i, cc_mac_key_t), s->site ? s->site : "", msg,
                         len, want)
            && !CRYPTO_memcmp(want, text, CC_MAC_TEXT_LEN)) {
            return i;
        }
    }
    return -1;
}

/* cc_mac.h - the keys that sign consent values (a secret file: one key a line, the first signs,
 * every one verifies) and HMAC-SHA-256 over them, with OpenSSL's libcrypto. */
#ifndef CC_MAC_H
#define CC_MAC_H

#include <apr_pools.h>
#include <apr_tables.h>

#define CC_MAC_KEY_MIN 32           /* bytes of a key, at least (256 bits) */
#define CC_MAC_KEY_MAX 256          /* bytes of a key, at most */
#define CC_MAC_KEYS_MAX 16          /* keys in a secret file, at most (each one is tried) */
#define CC_MAC_LEN 16               /* bytes of HMAC-SHA-256 kept: 128 bits */
#define CC_MAC_TEXT_LEN 22          /* CC_MAC_LEN bytes in base64url, no padding */

typedef struct {
    apr_size_t len;
    unsigned char bytes[CC_MAC_KEY_MAX];
    void *keyed;                    /* EVP_MAC_CTX with the key set (cc_mac_keys_parse), or NULL */
} cc_mac_key_t;

/* What a consent value is signed with: the keys, and the name of the virtual host it is for (so
 * a value written for one site is worthless on another). */
typedef struct {
    const apr_array_header_t *keys; /* cc_mac_key_t: the first signs, every one verifies */
    const char *site;               /* the virtual host's name (ServerName), never "\n" */
} cc_mac_signer_t;

/* Reads a secret file's text: one key a line, 64 or more hex digits or base64/base64url of 32 or
 * more bytes; blank lines and lines starting with '#' are skipped, surrounding blanks ignored.
 * Returns NULL and *keys (cc_mac_key_t, keyed for HMAC once, wiped and freed when p is cleared),
 * or a sentence saying what is wrong, with *line the line it is about (0: the whole text). */
const char *cc_mac_keys_parse(apr_pool_t *p, const char *text, apr_size_t len,
                              apr_array_header_t **keys, int *line);

/* A new key line: CC_MAC_KEY_MIN random bytes from OpenSSL's generator, in hex, with "\n". */
const char *cc_mac_key_generate(apr_pool_t *p);

/* out = base64url of the first CC_MAC_LEN bytes of HMAC-SHA-256(key, label "\n" site "\n" msg),
 * NUL-terminated. Returns 0, or -1 when libcrypto fails. */
int cc_mac_text(const cc_mac_key_t *key, const char *site, const char *msg, apr_size_t len,
                char out[CC_MAC_TEXT_LEN + 1]);

/* The index of the first key of s whose MAC of msg is text (CC_MAC_TEXT_LEN characters,
 * compared in constant time), or -1. */
int cc_mac_check(const cc_mac_signer_t *s, const char *msg, apr_size_t len, const char *text);

#endif

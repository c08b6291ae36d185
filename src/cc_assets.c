/* cc_assets.c - lookup and version of the embedded assets. */
#include "cc_assets.h"

#include <apr_sha1.h>
#include <string.h>

const cc_asset_t *cc_asset_find(const char *name)
{
    const cc_asset_t *a;

    for (a = cc_assets; a->name; a++) {
        if (!strcmp(a->name, name)) {
            return a;
        }
    }
    return NULL;
}

void cc_assets_version(char *buf)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    apr_sha1_ctx_t sha;
    const cc_asset_t *a;
    int i;

    apr_sha1_init(&sha);
    for (a = cc_assets; a->name; a++) {
        apr_sha1_update_binary(&sha, (const unsigned char *)a->name, strlen(a->name) + 1);
        apr_sha1_update_binary(&sha, a->data, a->len);
    }
    apr_sha1_final(digest, &sha);
    for (i = 0; i < CC_ASSET_VERSION_LEN / 2; i++) {
        buf[2 * i] = hex[digest[i] >> 4];
        buf[2 * i + 1] = hex[digest[i] & 15];
    }
    buf[CC_ASSET_VERSION_LEN] = '\0';
}

const char *cc_assets_ver(void)
{
    static char ver[CC_ASSET_VERSION_LEN + 1];

    if (!ver[0]) {
        cc_assets_version(ver);
    }
    return ver;
}

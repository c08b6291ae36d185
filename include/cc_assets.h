/* cc_assets.h - the banner's CSS and JS, embedded at build time (scripts/embed-assets.sh). */
#ifndef CC_ASSETS_H
#define CC_ASSETS_H

#include <apr.h>

typedef struct {
    const char *name;               /* "cookieconsent.css" */
    const char *type;               /* Content-Type */
    const unsigned char *data;
    apr_size_t len;
} cc_asset_t;

/* NULL-terminated (name == NULL), generated into build/cc_assets_data.c. */
extern const cc_asset_t cc_assets[];

/* The asset called name, or NULL. */
const cc_asset_t *cc_asset_find(const char *name);

#define CC_ASSET_VERSION_LEN 12     /* hex digits */

/* CC_ASSET_VERSION_LEN hex digits of a SHA-1 over every asset: changes whenever an asset does, so
 * URLs carrying it can be cached for a year. Written into buf (CC_ASSET_VERSION_LEN + 1 bytes). */
void cc_assets_version(char *buf);

/* The same, computed once (the assets are constant): a string that lives as long as the
 * process. Call it once before threads start (the module does in post_config). */
const char *cc_assets_ver(void);

#endif

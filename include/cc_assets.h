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

/* 12 hex digits of a SHA-1 over every asset: changes whenever an asset does, so URLs carrying it
 * can be cached for a year. Written into buf (13 bytes). */
void cc_assets_version(char *buf);

#endif

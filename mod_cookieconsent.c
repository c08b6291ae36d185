/*
 * mod_cookieconsent.c - server-side cookie consent for Apache httpd 2.4: the module record.
 *
 * The decisions live in src/cc_*.c, which know nothing of httpd. The glue is cut by request
 * phase, each file registering its own hooks (docs/architecture.md has the order):
 *
 *   src/mod_cc_config.c    records, directives, merge, the startup check of the declarations
 *   src/mod_cc_secret.c    the keys that sign consent values, read (or made) at startup
 *   src/mod_cc_request.c   the per-request context: decision, Cookie filtering, environment
 *   src/mod_cc_headers.c   COOKIECONSENT_OUT: Set-Cookie removal, clamping, expiries
 *   src/mod_cc_interim.c   the same removal in interim responses (100, 101, 103) and raw relays
 *   src/mod_cc_gate.c      COOKIECONSENT_GATE: third-party elements wait for consent
 *   src/mod_cc_banner.c    COOKIECONSENT_BANNER: the banner injected after <body>, validators
 *   src/mod_cc_endpoint.c  the URLs under CookieConsentEndpoint (consent, state, pages, assets)
 *   src/mod_cc_records.c   consent records (file, piped log, mod_dbd), the receipt, the export
 *   src/mod_cc_status.c    counters and discovery in shared memory, mod_status, /discovered
 */
#include "httpd.h"
#include "http_config.h"

#include "mod_cc.h"

static void cc_register_hooks(apr_pool_t *p)
{
    cc_config_register();
    cc_secret_register();
    cc_request_register();
    cc_headers_register();
    cc_interim_register_hooks(p);
    cc_gate_register();
    cc_banner_register();
    cc_endpoint_register();
    cc_records_register();
    cc_status_register();
}

AP_DECLARE_MODULE(cookieconsent) = {
    STANDARD20_MODULE_STUFF,
    cc_create_dir,
    cc_merge_dir,
    cc_create_srv,
    cc_merge_srv,
    cc_cmds,
    cc_register_hooks,
    AP_MODULE_FLAG_NONE
};

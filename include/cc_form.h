/* cc_form.h - the consent form: urlencoded fields, the return path, the same-origin check. */
#ifndef CC_FORM_H
#define CC_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "cc_decision.h"
#include "cc_decl.h"

#define CC_FORM_MAX_FIELDS 64

typedef struct {
    const char *name;
    const char *value;
} cc_form_field_t;

/* Parses an application/x-www-form-urlencoded body of len bytes into fields (cc_form_field_t).
 * Returns NULL, or a sentence when the body is not a form (bad %-escape, NUL byte, too many
 * fields). */
const char *cc_form_parse(apr_pool_t *p, const char *body, apr_size_t len,
                          apr_array_header_t **fields);

/* The first value of the field called name, or NULL. */
const char *cc_form_get(const apr_array_header_t *fields, const char *name);

/* ret when it is a same-origin absolute path ("/..." but not "//" or "/\", no control byte,
 * no backslash), else "/". */
const char *cc_return_path(const char *ret);

/* 1 when a request with these headers comes from another site: Sec-Fetch-Site: cross-site, or an
 * Origin (including "null") that is not scheme://host of this request. host is the Host header
 * (with port when not the default). NULL headers are absent. */
int cc_cross_site(const char *origin, const char *sec_fetch_site, const char *scheme,
                  const char *host);

/* The optional categories a consent POST accepts (the fields' "action" and "category"), given
 * the visitor's decision now: accept-all, reject-all, save (the named categories), allow (the
 * named ones added to those accepted now); unknown categories are ignored. -1 for another
 * action. */
apr_int64_t cc_form_choice(const cc_decl_t *d, const cc_decision_t *now,
                           const apr_array_header_t *fields);

#endif

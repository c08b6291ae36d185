/* cc_test.h - a minimal unit-test harness: checks count, failures print where and what. */
#ifndef CC_TEST_H
#define CC_TEST_H

#include <apr_pools.h>
#include "cc_decl.h"
#include <stdio.h>
#include <string.h>

extern int cc_test_checks, cc_test_failures;
extern apr_pool_t *cc_test_pool;

#define CHECK(cond) do { \
    cc_test_checks++; \
    if (!(cond)) { \
        cc_test_failures++; \
        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    cc_test_checks++; \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_))) { \
        cc_test_failures++; \
        fprintf(stderr, "%s:%d: %s\n    got:  %s\n    want: %s\n", __FILE__, __LINE__, #got, \
                g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
    } \
} while (0)

#define CHECK_INT(got, want) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    cc_test_checks++; \
    if (g_ != w_) { \
        cc_test_failures++; \
        fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
    } \
} while (0)

typedef void cc_test_fn(void);

typedef struct {
    const char *name;
    cc_test_fn *fn;
} cc_test_case;

/* Each test file exports a NULL-terminated table. */
extern const cc_test_case cc_glob_tests[], cc_cookie_tests[], cc_text_tests[], cc_decl_tests[],
    cc_consent_tests[], cc_decision_tests[], cc_form_tests[], cc_matcher_tests[],
    cc_render_tests[], cc_interim_tests[], cc_gate_tests[], cc_http_tests[], cc_record_tests[],
    cc_mac_tests[], cc_i18n_tests[], cc_discover_tests[];

/* A declaration set used by several files: necessary (required), statistical, marketing;
 * rows Session (csrftoken sessionid), Piwik (_pk_id* _pk_ses*, Domain shop.test),
 * Ads (ad_* in marketing), Both (shared_* in statistical AND marketing). */
cc_decl_t *cc_test_decl(apr_pool_t *p);
/* A cookie row: names separated by spaces, domain may be NULL. */
cc_cookie_decl_t *cc_test_row(apr_pool_t *p, const char *label, const char *cat,
                              const char *names, const char *domain);

/* A signer (test_mac.c) with the keys of a secret file's text, for site. */
#include "cc_mac.h"
const cc_mac_signer_t *cc_test_signer(apr_pool_t *p, const char *keys_text, const char *site);

#endif

/* cc_discover.h - the discovery report (issue 11): undeclared cookie names and third-party
 * elements seen in live traffic, kept in a fixed-size table that several processes update at
 * once (it lives in shared memory; this file knows nothing of httpd), and rendered as a report
 * with ready-to-paste <CookieConsentCookie> blocks.
 *
 * Bounds (per virtual host): CC_DISC_NAMES groups of cookie names, CC_DISC_HOSTS third-party
 * hosts; a name (and its proposed glob) of at most CC_DISC_NAME_MAX bytes, one example URI of at
 * most CC_DISC_URI_MAX bytes (the path only: a query string may hold personal data; longer ones
 * are cut at a byte boundary and end with "..."), a
 * Domain of at most CC_DISC_DOMAIN_MAX and a Path of at most CC_DISC_PATH_MAX bytes (longer:
 * not kept). What does not fit is counted in dropped_names / dropped_hosts, never stored.
 *
 * Concurrency: lock-free. A slot is claimed by a compare-and-swap of its key word (the hash of
 * the group's glob) from 0; the claimer writes the text fields, then publishes the slot (ready).
 * Known names are found without any lock: a probe reads keys, compares the glob of published
 * slots, and updates the counters with atomic adds, the last time with an atomic store, the flags
 * with an atomic or and the largest lifetime with a compare-and-swap loop. A slot still being
 * written by another process is skipped for that one event (never waited for). The Domain and
 * Path seen are written once, by the first Set-Cookie that has them, under the same kind of
 * claim (attr_state 0 -> 1 -> 2). Readers (the report) copy the table and skip unpublished slots.
 */
#ifndef CC_DISCOVER_H
#define CC_DISCOVER_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "cc_cookie.h"
#include "cc_decl.h"

#define CC_DISC_NAMES 256
#define CC_DISC_HOSTS 128
#define CC_DISC_NAME_MAX 64
#define CC_DISC_URI_MAX 128
#define CC_DISC_DOMAIN_MAX 96
#define CC_DISC_PATH_MAX 64
#define CC_DISC_HOST_MAX 96

/* What a name was seen with (flags of cc_disc_name_t, or-ed over every sighting). */
#define CC_DISC_F_SET_COOKIE  0x001     /* in a response's Set-Cookie */
#define CC_DISC_F_REQUEST     0x002     /* in a request's Cookie header */
#define CC_DISC_F_SECURE      0x004
#define CC_DISC_F_HTTPONLY    0x008
#define CC_DISC_F_SS_STRICT   0x010
#define CC_DISC_F_SS_LAX      0x020
#define CC_DISC_F_SS_NONE     0x040
#define CC_DISC_F_SESSION     0x080     /* a Set-Cookie without Max-Age or Expires */
#define CC_DISC_F_PERSISTENT  0x100     /* a Set-Cookie with a lifetime (max_age is set) */
#define CC_DISC_F_DOMAINS     0x200     /* Set-Cookies with different Domain or Path */
#define CC_DISC_F_DELETION    0x400     /* a Set-Cookie that deletes it (Max-Age <= 0, past) */

/* Kinds of third-party elements (flags of cc_disc_host_t). */
#define CC_DISC_K_SCRIPT 1
#define CC_DISC_K_IFRAME 2
#define CC_DISC_K_PIXEL  4

typedef struct {
    apr_uint32_t key;                   /* hash of glob, never 0; 0: free */
    apr_uint32_t ready;                 /* 1 once the text fields are written */
    apr_uint32_t flags;                 /* CC_DISC_F_* */
    apr_uint32_t attr_state;            /* 0 no Domain/Path yet, 1 being written, 2 written */
    apr_uint64_t count;                 /* sightings: Set-Cookie headers and Cookie pairs */
    apr_uint64_t first, last;           /* Unix seconds */
    apr_uint64_t max_age;               /* the largest lifetime a Set-Cookie gave, seconds */
    char glob[CC_DISC_NAME_MAX + 1];    /* the proposed Names glob (the name when no id suffix) */
    char example[CC_DISC_NAME_MAX + 1]; /* the first name seen */
    char domain[CC_DISC_DOMAIN_MAX + 1];    /* "" for host-only */
    char path[CC_DISC_PATH_MAX + 1];    /* "" when not given */
    char uri[CC_DISC_URI_MAX + 1];      /* where it was first seen */
} cc_disc_name_t;

typedef struct {
    apr_uint32_t key;
    apr_uint32_t ready;
    apr_uint32_t kinds;                 /* CC_DISC_K_* */
    apr_uint32_t pad;
    apr_uint64_t count;                 /* elements met (pages scanned x elements) */
    apr_uint64_t first, last;
    char host[CC_DISC_HOST_MAX + 1];    /* lower case */
    char url[CC_DISC_URI_MAX + 1];      /* the first element URL */
    char page[CC_DISC_URI_MAX + 1];     /* the page it was met on */
} cc_disc_host_t;

typedef struct cc_disc_table_t {
    apr_uint32_t magic;
    apr_uint32_t version;
    apr_uint64_t dropped_names;         /* new names not kept: table full, name too long */
    apr_uint64_t dropped_hosts;
    cc_disc_name_t names[CC_DISC_NAMES];
    cc_disc_host_t hosts[CC_DISC_HOSTS];
} cc_disc_table_t;

#define CC_DISC_MAGIC 0x43434453u       /* "CCDS" */
#define CC_DISC_VERSION 1u

/* What one sighting of a cookie name says. */
typedef struct {
    unsigned flags;                     /* CC_DISC_F_* */
    apr_int64_t lifetime;               /* seconds (with CC_DISC_F_PERSISTENT) */
    const char *domain;                 /* NULL: none given */
    const char *path;
} cc_disc_seen_t;

/* The proposed glob of a cookie name: a tail of segments that look like ids (digits, hex, or
 * letters and digits mixed), each after a separator '.', '_' or '-', is replaced by '*':
 * "_pk_id.1.8f3a" -> "_pk_id.*", "_ga_ABC123" -> "_ga_*", "wp-settings-time-1" ->
 * "wp-settings-time-*"; "_ga", "_gcl_au", "PHPSESSID" stay as they are. A name already
 * holding '*' or '?' (which Names reads as wildcards) is kept as it is. Writes the glob
 * (NUL-terminated) to out; returns its length, or 0 when name is empty or the glob does not fit
 * in size bytes. */
apr_size_t cc_discover_group(const char *name, char *out, apr_size_t size);

/* Sets t up (all slots free). */
void cc_disc_init(cc_disc_table_t *t);

/* 1 when t has the magic and version of this build. */
int cc_disc_valid(const cc_disc_table_t *t);

/* What a parsed Set-Cookie header says (now: to turn Expires into a lifetime). */
void cc_disc_seen_set_cookie(const cc_set_cookie_t *sc, apr_int64_t now, cc_disc_seen_t *out);

/* Counts a sighting of the cookie called name on uri. Returns 2 when its group is new, 1 when it
 * was known, 0 when it is not counted (table full or name too long: dropped_names, or its slot
 * is being written by another process at this instant). No allocation, no lock. */
int cc_disc_cookie(cc_disc_table_t *t, const char *name, const cc_disc_seen_t *seen,
                   apr_int64_t now, const char *uri);

/* The host of an absolute http(s) URL ("//host/..." too), lower-cased into host (size bytes),
 * when it is a third party for a page of own_host: neither own_host (a leading "www." ignored)
 * nor a subdomain of it. Returns 1 (third party, host written) or 0. */
int cc_disc_third_party(const char *url, const char *own_host, char *host, apr_size_t size);

/* Counts a third-party element of kind (CC_DISC_K_*) at url on page. Returns as cc_disc_cookie. */
int cc_disc_element(cc_disc_table_t *t, const char *host, unsigned kind, const char *url,
                    const char *page, apr_int64_t now);

/* "session", or the lifetime as a Retention value ("2y", "13mo", "30d"; rounded up to a day). */
const char *cc_disc_retention(apr_pool_t *p, apr_uint64_t seconds);

/* The report. A name is left out when declared(baton, example) says it is declared now (the
 * sysadmin pasted its block); a host when covered(baton, url) says a Block glob matches its
 * URL now. categories: the virtual host's category names, for the blocks' comments. */
typedef int cc_disc_filter_fn(void *baton, const char *text);
typedef struct {
    const cc_disc_table_t *t;           /* a copy (cc_disc_snapshot) */
    cc_disc_filter_fn *declared;
    cc_disc_filter_fn *covered;
    void *baton;
    const char *categories;
    const char *vhost;
    apr_int64_t since;                  /* when the table was created */
    apr_int64_t now;
} cc_disc_report_t;

/* A consistent copy of t (slots being written are left out), in p. */
cc_disc_table_t *cc_disc_snapshot(apr_pool_t *p, const cc_disc_table_t *t);

/* The ready-to-paste block of one name group. */
const char *cc_disc_block(apr_pool_t *p, const cc_disc_report_t *rep, const cc_disc_name_t *e);

/* The report as JSON, and as an HTML page. */
const char *cc_disc_report_json(apr_pool_t *p, const cc_disc_report_t *rep);
const char *cc_disc_report_html(apr_pool_t *p, const cc_disc_report_t *rep);

/* Published groups and hosts in t (after the filters, with rep; without, rep NULL). */
int cc_disc_count_names(const cc_disc_table_t *t);
int cc_disc_count_hosts(const cc_disc_table_t *t);

#endif

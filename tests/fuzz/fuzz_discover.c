/* fuzz_discover.c - the discovery report: the proposed glob of any name matches that name and
 * is never longer than it plus one byte; the table takes any names (and counts each sighting of
 * a kept group); third-party hosts are plain lower-case host names; the report renders. The
 * input is split at newlines: names, then URLs after a line "--". */
#include "fuzz_common.h"
#include "cc_discover.h"
#include "cc_glob.h"

#include <assert.h>

static int declared_odd(void *baton, const char *name)
{
    (void)baton;
    return strlen(name) % 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *text = fuzz_str(p, data, size), *line, *last;
    cc_disc_table_t *t = apr_palloc(p, sizeof(*t));
    cc_disc_seen_t seen = {CC_DISC_F_SET_COOKIE | CC_DISC_F_PERSISTENT, 3600, "example.org", "/"};
    char glob[CC_DISC_NAME_MAX + 1], host[CC_DISC_HOST_MAX + 1];
    cc_disc_report_t rep;
    int urls = 0, i;
    apr_uint64_t counted = 0, total = 0;

    cc_disc_init(t);
    for (line = apr_strtok(text, "\n", &last); line; line = apr_strtok(NULL, "\n", &last)) {
        if (!strcmp(line, "--")) {
            urls = 1;
            continue;
        }
        if (urls) {
            if (cc_disc_third_party(line, "www.site.test", host, sizeof(host))) {
                const char *s;
                assert(*host);
                for (s = host; *s; s++) {
                    assert(!(*s >= 'A' && *s <= 'Z') && *s != '/' && *s != '@');
                }
                cc_disc_element(t, host, CC_DISC_K_SCRIPT, line, line, 1);
            }
            continue;
        }
        apr_size_t n = cc_discover_group(line, glob, sizeof(glob));
        if (n) {
            assert(n == strlen(glob));
            assert(n <= strlen(line) + 1);
            assert(cc_glob_match(glob, line));
        }
        counted += cc_disc_cookie(t, line, &seen, 1, "/p?q") != 0;
    }
    for (i = 0; i < CC_DISC_NAMES; i++) {
        if (t->names[i].ready) {
            total += t->names[i].count;
            assert(strchr(t->names[i].uri, '?') == NULL);
        }
    }
    assert(total == counted);
    memset(&rep, 0, sizeof(rep));
    rep.t = cc_disc_snapshot(p, t);
    rep.declared = declared_odd;
    rep.vhost = "site.test:80";
    rep.categories = "necessary";
    assert(cc_disc_report_json(p, &rep) != NULL);
    assert(cc_disc_report_html(p, &rep) != NULL);
    apr_pool_destroy(p);
    return 0;
}

/* fuzz_gate.c - the third-party rewriter: the first byte picks the visitor's categories and seeds
 * the chunk sizes, the rest is the document. Edits are in order, inside the input, never before
 * what the caller may already have sent, and the same whatever the chunking. */
#include "fuzz_common.h"
#include "cc_gate.h"

#include <assert.h>

static cc_decl_t *fuzz_decl(apr_pool_t *p)
{
    static const char *const cats[] = {"necessary", "statistical", "marketing"};
    cc_decl_t *d = apr_pcalloc(p, sizeof(*d));
    int i;

    d->categories = apr_array_make(p, 3, sizeof(cc_category_t *));
    d->cookies = apr_array_make(p, 2, sizeof(cc_cookie_decl_t *));
    for (i = 0; i < 3; i++) {
        cc_category_t *c = apr_pcalloc(p, sizeof(*c));
        c->name = cats[i];
        c->required = i == 0;
        APR_ARRAY_PUSH(d->categories, cc_category_t *) = c;
    }
    for (i = 1; i < 3; i++) {
        cc_cookie_decl_t *r = apr_pcalloc(p, sizeof(*r));
        r->label = i == 1 ? "Piwik" : "Ads";
        r->category = cats[i];
        r->category_index = i;
        r->names = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(r->names, const char *) = i == 1 ? "_pk_*" : "ad_*";
        r->block = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(r->block, const char *) = i == 1 ? "*matomo*" : "*ads*";
        r->block_inline = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(r->block_inline, const char *) = i == 1 ? "_paq" : "adsbygoogle";
        APR_ARRAY_PUSH(d->cookies, cc_cookie_decl_t *) = r;
    }
    d->required_mask = 1;
    d->optional_mask = 6;
    return d;
}

/* Discovery's callback (issue 11): a known kind and an absolute URL; counted, so that both
 * chunkings can be compared. */
static void seen(void *baton, unsigned kind, const char *url)
{
    (*(int *)baton)++;
    assert(kind == 1 || kind == 2 || kind == 4);
    assert(url && (!strncmp(url, "https://", 8) || !strncmp(url, "http", 4) || *url));
}

static int seen_count;

static apr_array_header_t *run(apr_pool_t *p, const cc_render_t *rc, const char *doc,
                               size_t len, unsigned seed, int whole)
{
    cc_gate_t *g = cc_gate_create(p, rc, "https://site.test", "/a/b.html");
    cc_gate_on_element(g, seen, &seen_count);
    apr_array_header_t *all = apr_array_make(p, 4, sizeof(cc_gate_edit_t));
    size_t off = 0, chunk;
    apr_off_t sent = 0, hold, last = 0;
    int j;

    while (off < len || off == 0) {
        seed = seed * 1103515245u + 12345u;
        chunk = whole ? len : 1 + (seed >> 16) % 23;
        if (chunk > len - off) {
            chunk = len - off;
        }
        cc_gate_feed(g, doc + off, chunk);
        off += chunk;
        if (off >= len) {
            cc_gate_end(g);
        }
        for (j = 0; j < cc_gate_edits(g)->nelts; j++) {
            cc_gate_edit_t *e = &APR_ARRAY_IDX(cc_gate_edits(g), j, cc_gate_edit_t);
            assert(e->start >= sent && e->start >= last && e->end >= e->start);
            assert(e->end <= (apr_off_t)off && e->text);
            last = e->end;
            APR_ARRAY_PUSH(all, cc_gate_edit_t) = *e;
        }
        apr_array_clear(cc_gate_edits(g));
        hold = cc_gate_hold(g);
        assert(hold <= (apr_off_t)off);
        sent = hold >= 0 ? hold : (apr_off_t)off;
        if (len == 0) {
            break;
        }
    }
    return all;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cc_render_t rc;
    cc_decision_t dec;
    apr_array_header_t *a, *b;
    const char *doc;
    size_t len;
    int i;

    if (size < 1) {
        return 0;
    }
    p = fuzz_pool();
    memset(&dec, 0, sizeof(dec));
    memset(&rc, 0, sizeof(rc));
    rc.decl = fuzz_decl(p);
    dec.allowed = 1 | (data[0] & 6);
    rc.dec = &dec;
    rc.lang = (data[0] & 8) ? "fr" : "en";
    rc.endpoint = "/cookieconsent";
    rc.return_path = "/";
    doc = (const char *)data + 1;
    len = size - 1;
    seen_count = 0;
    a = run(p, &rc, doc, len, data[0], 1);
    i = seen_count;
    seen_count = 0;
    b = run(p, &rc, doc, len, data[0] * 7u + 1, 0);
    assert(i == seen_count);            /* the same elements reported whatever the chunking */
    assert(a->nelts == b->nelts);
    for (i = 0; i < a->nelts; i++) {
        cc_gate_edit_t *x = &APR_ARRAY_IDX(a, i, cc_gate_edit_t);
        cc_gate_edit_t *y = &APR_ARRAY_IDX(b, i, cc_gate_edit_t);
        assert(x->start == y->start && x->end == y->end && !strcmp(x->text, y->text));
    }
    apr_pool_destroy(p);
    return 0;
}

/* fuzz_interim.c - the interim response filter never crashes, only ever drops bytes (its output
 * is a subsequence of its input), gives the same output however the input is split, and changes
 * nothing when its callback keeps every cookie (report mode: the output is the input, but for
 * the start of a line still held at its end). Callbacks see status codes 0..999
 * (1xx blocks and the final block that ends the filtering).
 *
 * Input: the first byte seeds the chunk sizes of the second run, the second byte picks re-arming
 * points; the rest is the byte stream of a connection. */
#include "fuzz_common.h"
#include "cc_interim.h"

#include <assert.h>

typedef struct {
    char *buf;
    size_t len;
} sink_t;

static void emit(void *baton, const char *d, apr_size_t n)
{
    sink_t *s = baton;

    memcpy(s->buf + s->len, d, n);
    s->len += n;
}

/* Deterministic: drops nameless, unknown and control-byte names, and names of odd length; keeps
 * everything when baton is not NULL. */
static int keep(void *baton, int status, const char *name, apr_size_t len)
{
    assert(status >= 0 && status <= 999);
    assert(!name || len < CC_INTERIM_HOLD);
    return baton || (cc_interim_name_ok(name, len) && len % 2 == 0);
}

/* Feeds in[0, n) in chunks (sizes from seed; one chunk when seed is 0); re-arms after every LF
 * when rearm is set, as a new request on the connection would. */
static size_t run(apr_pool_t *p, const char *in, size_t n, unsigned seed, int rearm, int keep_all,
                  char *out, int *active)
{
    cc_interim_t *f = cc_interim_create(p, keep, keep_all ? (void *)p : NULL);
    sink_t s = {out, 0};
    size_t at = 0, len, used;

    cc_interim_arm(f);
    while (at < n) {
        len = seed ? 1 + (seed = seed * 1103515245u + 12345u) % 7 : n;
        if (len > n - at) {
            len = n - at;
        }
        if (rearm) {
            const char *nl = memchr(in + at, '\n', len);
            if (nl) {
                len = (size_t)(nl - (in + at)) + 1;
            }
        }
        if (cc_interim_active(f)) {
            used = cc_interim_feed(f, in + at, len, emit, &s);
            assert(used <= len);
            assert(used == len || !cc_interim_active(f));
            if (!cc_interim_active(f) && !cc_interim_tunnel(f)) {
                assert(cc_interim_status(f) >= -1 && cc_interim_status(f) <= 999);
            }
        }
        else {
            assert(cc_interim_feed(f, in + at, len, emit, &s) == 0);
            used = 0;
        }
        memcpy(s.buf + s.len, in + at + used, len - used);
        s.len += len - used;
        at += len;
        if (rearm && in[at - 1] == '\n' && !cc_interim_active(f)) {
            cc_interim_arm(f);
        }
    }
    *active = cc_interim_active(f);
    return s.len;
}

static int subsequence(const char *sub, size_t sn, const char *s, size_t n)
{
    size_t i, j = 0;

    for (i = 0; i < n && j < sn; i++) {
        if (s[i] == sub[j]) {
            j++;
        }
    }
    return j == sn;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *in;
    char *a, *b, *c;
    size_t n, an, bn, cn;
    unsigned seed;
    int rearm, active;

    if (size < 2) {
        return 0;
    }
    p = fuzz_pool();
    seed = data[0] | 1u;
    rearm = data[1] & 1;
    in = (const char *)data + 2;
    n = size - 2;
    a = apr_palloc(p, n + 1);
    b = apr_palloc(p, n + 1);
    c = apr_palloc(p, n + 1);
    an = run(p, in, n, 0, rearm, 0, a, &active);
    bn = run(p, in, n, seed, rearm, 0, b, &active);
    cn = run(p, in, n, seed, rearm, 1, c, &active);
    assert(an <= n && subsequence(a, an, in, n));
    assert(an == bn && !memcmp(a, b, an));
    assert(cn <= n && !memcmp(c, in, cn));
    assert(cn == n || (active && n - cn <= CC_INTERIM_HOLD));
    apr_pool_destroy(p);
    return 0;
}

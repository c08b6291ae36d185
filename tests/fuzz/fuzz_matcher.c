/* fuzz_matcher.c - the streaming <body> matcher gives the same answer whatever the chunking:
 * the first input byte seeds the chunk sizes, the rest is the document, and a one-shot scan is
 * the reference. */
#include "fuzz_common.h"
#include "cc_matcher.h"

#include <assert.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cc_matcher_t whole, parts;
    apr_ssize_t want, got = -1, at;
    const char *doc;
    size_t len, off = 0, chunk;
    unsigned seed;

    if (size < 1) {
        return 0;
    }
    seed = data[0];
    doc = (const char *)data + 1;
    len = size - 1;
    cc_matcher_init(&whole);
    want = cc_matcher_feed(&whole, doc, len);
    assert(want <= (apr_ssize_t)len && want != 0);
    cc_matcher_init(&parts);
    while (off < len) {
        seed = seed * 1103515245u + 12345u;
        chunk = 1 + (seed >> 16) % 17;
        if (chunk > len - off) {
            chunk = len - off;
        }
        at = cc_matcher_feed(&parts, doc + off, chunk);
        if (at >= 0 && got < 0) {
            assert(at > 0 && (size_t)at <= chunk);
            got = (apr_ssize_t)off + at;
        }
        off += chunk;
    }
    assert(got == want);
    /* the document/fragment verdict does not depend on the chunking either; fed past the body
     * tag only the whole scan stops there, so compare up to it */
    if (want < 0) {
        assert(parts.start == whole.start);
        assert(cc_matcher_is_document(&parts) == cc_matcher_is_document(&whole));
    }
    else {
        assert(cc_matcher_is_document(&parts) && cc_matcher_is_document(&whole));
    }
    if (want > 0) {
        assert(doc[want - 1] == '>');
    }
    return 0;
}

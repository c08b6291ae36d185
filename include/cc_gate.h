/* cc_gate.h - third-party elements wait for consent: a streaming HTML rewriter.
 *
 * Fed a response in chunks of any size, it finds the start tags of <script>, <iframe>, <img>,
 * <link>, <embed> and <object> (outside comments and raw-text elements; inside <noscript> and
 * <template> too, where a browser without scripts or a cloned template would load them) and says
 * how to rewrite them, as edits on absolute offsets of the stream:
 *
 *  - an element whose URL matches a Block glob of a row whose category is not allowed, or an
 *    inline <script> whose text contains a BlockInline text of such a row, is held: made inert
 *    without a fetch (scripts become type="text/plain" with the URL in data-cc-src, the original
 *    type in data-cc-type; images, links, embeds and objects lose their URL attribute to
 *    data-cc-*; an iframe also gets a placeholder before it);
 *  - manual markup (data-cookieconsent="CATEGORY" on such an element) of an allowed category is
 *    activated: the URL and type come back; of a refused one an iframe gets the placeholder;
 *  - everything else is left byte for byte.
 *
 * It copies at most one start tag (CC_GATE_TAG_MAX bytes) and a few bytes of script text; the
 * caller must keep unsent what may still be edited: every byte from cc_gate_hold() on, which is
 * at most a start tag, or a start tag and CC_GATE_INLINE_MAX bytes of inline script.
 */
#ifndef CC_GATE_H
#define CC_GATE_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "cc_decl.h"
#include "cc_render.h"

#define CC_GATE_TAG_MAX 16384       /* a longer start tag is left as it is (counted) */
#define CC_GATE_INLINE_MAX 65536    /* inline script text read to decide; longer: left (counted) */

/* Replace the bytes [start, end) of the stream with text (start == end: insert). */
typedef struct {
    apr_off_t start;
    apr_off_t end;
    const char *text;
} cc_gate_edit_t;

typedef struct cc_gate_t cc_gate_t;

/* rc gives the declarations, the visitor's decision (rc->dec->allowed), the language, endpoint and
 * return path (placeholders). origin is "scheme://host[:port]" and path the request's path, to
 * resolve relative URLs. */
cc_gate_t *cc_gate_create(apr_pool_t *p, const cc_render_t *rc, const char *origin,
                          const char *path);

/* A text to insert as the first element of <head> (right after its start tag), or, when a
 * <script> comes before any <head>, right before that script: Google Consent Mode's default,
 * which must run before any tag. */
void cc_gate_set_head(cc_gate_t *g, const char *text);

/* 1 when nothing more can be edited: no Block/BlockInline rule, and the head text is placed. */
int cc_gate_finished(const cc_gate_t *g);

/* Scans the next len bytes; new edits are appended to cc_gate_edits(). */
void cc_gate_feed(cc_gate_t *g, const char *buf, apr_size_t len);

/* The end of the document: what is still undecided is left as it is. */
void cc_gate_end(cc_gate_t *g);

/* The first offset that may still be edited, or -1 when every byte fed may be sent. */
apr_off_t cc_gate_hold(const cc_gate_t *g);

/* The edits found so far (cc_gate_edit_t), in stream order; the caller empties it once applied. */
apr_array_header_t *cc_gate_edits(cc_gate_t *g);

/* What was given up on (a start tag or an inline script too long to decide), for a warning. */
int cc_gate_overlong(const cc_gate_t *g);

/* Discovery (issue 11): called for each <script src>, <iframe src> and pixel (an <img> of width
 * or height 0 or 1, or styled display:none) whose URL no Block glob of any row matches, whatever
 * the visitor allowed, with kind 1 (script), 2 (iframe) or 4 (pixel) and the URL resolved. Elements
 * with data-cookieconsent markup are the sysadmin's already and are not reported. While a
 * callback is set, cc_gate_finished() is 0: the whole document is scanned. */
typedef void cc_gate_seen_fn(void *baton, unsigned kind, const char *url);
void cc_gate_on_element(cc_gate_t *g, cc_gate_seen_fn *fn, void *baton);

/* Elements held so far (scripts, iframes, images, links, embeds, objects made inert). */
int cc_gate_held(const cc_gate_t *g);

/* "https://host/dir/" + ref resolved: absolute, protocol-relative, absolute-path and relative
 * references (no dot-segment removal, no <base>). */
const char *cc_gate_resolve(apr_pool_t *p, const char *origin, const char *path, const char *ref);

#endif

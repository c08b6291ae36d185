/* cc_matcher.h - finds the end of the opening <body> tag in a streamed HTML document.
 *
 * A tokenizer state machine in the spirit of the HTML5 parser, reduced to what decides where the
 * first real <body ...> start tag ends: comments, doctype/processing instructions, attribute
 * values (quoted or not) and the raw-text elements (script, style, title, textarea, xmp, iframe,
 * noembed, noframes) are skipped. It keeps no bytes: a tag split across chunks at any position is
 * found because the state carries over, so memory is a few words whatever the input.
 */
#ifndef CC_MATCHER_H
#define CC_MATCHER_H

#include <apr.h>

#define CC_MATCHER_NAME_MAX 10      /* longest tag name we need to recognise, "plaintext" + 1 */

typedef struct {
    int state;
    int found;                      /* the body start tag has been seen */
    int tag_is_end;                 /* the tag being read is an end tag */
    apr_size_t name_len;            /* bytes of the tag name seen (may exceed the buffer) */
    char name[CC_MATCHER_NAME_MAX + 1];
    const char *raw_end;            /* in raw text: the element whose end tag we wait for */
    apr_size_t raw_matched;         /* bytes of "</name" matched so far */
    int dashes;                     /* consecutive '-' seen in a comment */
} cc_matcher_t;

void cc_matcher_init(cc_matcher_t *m);

/* Scans len bytes. Returns the offset in buf just after the '>' of the body start tag, or -1 when
 * it is not in this chunk. Once found, later calls return -1 without scanning. */
apr_ssize_t cc_matcher_feed(cc_matcher_t *m, const char *buf, apr_size_t len);

#endif

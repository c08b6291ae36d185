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

/* What the document starts with (after a UTF-8 BOM, white space, comments and <?...?>). */
typedef enum {
    CC_MATCHER_START_UNKNOWN = 0,   /* nothing decisive yet */
    CC_MATCHER_START_DOCUMENT,      /* <!DOCTYPE ...>, <html>, <head> or <body> */
    CC_MATCHER_START_OTHER,         /* text or another tag: a fragment, unless <body>/<html> follows */
    CC_MATCHER_START_FOREIGN        /* a UTF-16/32 BOM or a NUL: not ASCII-compatible, not scanned */
} cc_matcher_start_e;

typedef struct {
    int state;
    int found;                      /* the body start tag has been seen */
    cc_matcher_start_e start;
    int html_seen;                  /* an <html> start tag has been seen */
    apr_size_t lead;                /* bytes read while start is unknown (for the BOM) */
    int tag_is_end;                 /* the tag being read is an end tag */
    apr_size_t name_len;            /* bytes of the tag name seen (may exceed the buffer) */
    char name[CC_MATCHER_NAME_MAX + 1];
    const char *raw_end;            /* in raw text: the element whose end tag we wait for */
    apr_size_t raw_len;             /* its length */
    apr_size_t raw_matched;         /* bytes of "</name" matched so far */
    int dashes;                     /* consecutive '-' seen in a comment */
} cc_matcher_t;

void cc_matcher_init(cc_matcher_t *m);

/* Scans len bytes. Returns the offset in buf just after the '>' of the body start tag, or -1 when
 * it is not in this chunk. Once found, or once the start is CC_MATCHER_START_FOREIGN, later calls
 * return -1 without scanning. */
apr_ssize_t cc_matcher_feed(cc_matcher_t *m, const char *buf, apr_size_t len);

/* 1 when what was fed is a document, not a fragment: its start tag of body was found, it started
 * like a document, or an <html> tag was seen. */
int cc_matcher_is_document(const cc_matcher_t *m);

#endif

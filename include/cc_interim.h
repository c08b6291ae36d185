/* cc_interim.h - a streaming filter for the HTTP/1.x response header blocks that are written on a
 * connection below the request's output filters: interim (1xx) responses (100 Continue, 101
 * Switching Protocols, 103 Early Hints), and a final response relayed raw (mod_proxy_wstunnel's
 * copy of a backend that refused the upgrade).
 *
 * It is fed the bytes of the connection in chunks split anywhere, and emits them unchanged except
 * that the Set-Cookie lines whose cookie a callback refuses are dropped whole (with their CRLF or
 * LF, and with the obs-fold continuation lines that belong to them). The caller arms it when a
 * request begins and disarms it when the request's final response starts through its own output
 * filters; while armed it expects a status line:
 *
 *   - "HTTP/1.x 1yz" (case-insensitive "HTTP", then SP, HT, CR or LF): the header block is
 *     filtered up to its empty line, and the filter waits for the next block (103 then 103 then
 *     the final response). After the empty line of a 101 block it stops for good: the bytes that
 *     follow belong to another protocol (WebSocket, h2c) and are never looked at again; arming it
 *     again has no effect.
 *   - "HTTP/1.x xyz", three digits the first of which is not 1, then the same byte (a final
 *     response that the caller's own filters never saw): its header block is filtered the same
 *     way up to its empty line; then the filter disarms itself: the body and everything after it
 *     pass unchanged until it is armed again.
 *   - anything else (garbage, a status line of another shape): every byte passes unchanged and
 *     the filter disarms itself until it is armed again.
 *
 * Lines end at LF; a CR before it is part of the line. A header line is judged on its first
 * bytes: leading SP, HT or CR, "Set-Cookie" in any case, optional SP, HT or CR, ':', optional SP
 * or HT, then the cookie name up to '='. A line that begins with SP or HT (obs-fold) belongs to
 * the header before it: it is dropped with that header, and when the header was kept it is still
 * judged on its own, so a parser that does not unfold can never read a refused Set-Cookie in it.
 * Every other byte passes as it came, byte for byte.
 *
 * Memory is bounded: only the start of the current line is held back, at most CC_INTERIM_HOLD
 * bytes, as long as needed to know its header name and, for a Set-Cookie, the cookie name. A line
 * that could still be a Set-Cookie whose cookie name is not known after CC_INTERIM_HOLD bytes is
 * handed to the callback with name NULL (a consent-enforcing callback drops it). Held bytes are
 * emitted as soon as the line is decided; a chunk that ends inside the first bytes of a line
 * leaves them held until the next chunk.
 *
 * No httpd, no I/O: the caller feeds bytes and receives the output through a callback. */
#ifndef CC_INTERIM_H
#define CC_INTERIM_H

#include <apr_pools.h>

/* The longest start of a line held back to decide on it (bytes, from the start of the line up to
 * the '=' after the cookie name). */
#define CC_INTERIM_HOLD 1024

typedef struct cc_interim_t cc_interim_t;

/* Decides one Set-Cookie line of a block of status `status` (0..999: 100..199 for an interim
 * response, any other for a final one). name and len: the cookie
 * name, without surrounding spaces and tabs, not NUL-terminated, any bytes (see
 * cc_interim_name_ok); len 0 for a nameless cookie (no '=' before the first ';' or the end of the
 * line, or nothing before '='); name NULL when it was not found within CC_INTERIM_HOLD bytes of
 * the start of the line. Returns 1 to keep the line, 0 to drop it. */
typedef int cc_interim_keep_fn(void *baton, int status, const char *name, apr_size_t len);

/* Receives the output, in order. data is valid only during the call. */
typedef void cc_interim_emit_fn(void *baton, const char *data, apr_size_t len);

/* A disarmed filter (it passes everything until cc_interim_arm). */
cc_interim_t *cc_interim_create(apr_pool_t *p, cc_interim_keep_fn *keep, void *baton);

/* The next byte fed starts a response (a status line). Bytes still held from an unfinished
 * line are discarded. No effect after a 101 block. */
void cc_interim_arm(cc_interim_t *f);

/* Everything fed from now on passes unchanged (until cc_interim_arm). Bytes still held from an
 * unfinished line (the start of an interim header line that was never completed) are discarded. */
void cc_interim_disarm(cc_interim_t *f);

/* 1 while armed: fed bytes are looked at. 0 when disarmed or after a 101 block. */
int cc_interim_active(const cc_interim_t *f);

/* 1 once the empty line of a 101 block was seen: the filter never looks at a byte again. */
int cc_interim_tunnel(const cc_interim_t *f);

/* The status code of the last block whose status line was read since cc_interim_arm (or ever,
 * after a 101 block); -1 when none was. When the filter is no longer active, not a tunnel, and
 * this is not 100..199, it stopped at the end of a final response's header block. */
int cc_interim_status(const cc_interim_t *f);

/* Feeds data[0, len). Returns the number of bytes consumed: their output was given to emit.
 * When less than len, the filter stopped being active at that point (not a status line, or the
 * end of a 101 or final block): the caller passes data[returned, len) unchanged, after what was
 * emitted, and every later chunk as long as cc_interim_active() is 0. Returns 0 when inactive. */
apr_size_t cc_interim_feed(cc_interim_t *f, const char *data, apr_size_t len,
                           cc_interim_emit_fn *emit, void *emit_baton);

/* 1 when a cookie name handed to the keep callback can be a real cookie's: not NULL, not empty,
 * no control byte (RFC 6265bis: a browser ignores a Set-Cookie with one). A consent-enforcing
 * callback drops the others. */
int cc_interim_name_ok(const char *name, apr_size_t len);

#endif

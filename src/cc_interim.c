/* cc_interim.c - streaming Set-Cookie filter for HTTP/1.x response header blocks written below
 * the request's output filters (interim responses, raw relays). */
#include "cc_interim.h"

#include <string.h>

typedef enum {
    CC_IM_PASS,         /* disarmed (or after a final block): not looking */
    CC_IM_TUNNEL,       /* after a 101 block: never looking again */
    CC_IM_STATUS,       /* holding the first bytes of a status line */
    CC_IM_STATUS_REST,  /* emitting the rest of an accepted status line */
    CC_IM_LINE,         /* holding the start of a header line (sub-state in `sub`) */
    CC_IM_EMIT,         /* emitting the rest of a kept line */
    CC_IM_SKIP          /* discarding the rest of a dropped line */
} cc_im_state_e;

typedef enum {
    CC_IL_START,        /* nothing of the line yet */
    CC_IL_CR,           /* a CR first: the empty line, or a line starting with CR */
    CC_IL_LEAD,         /* SP, HT or CR before the header name */
    CC_IL_NAME,         /* matching "set-cookie" */
    CC_IL_NAME_END,     /* after "set-cookie": SP, HT or CR, then ':' */
    CC_IL_VALUE_LEAD,   /* SP or HT after ':' */
    CC_IL_COOKIE        /* the cookie name, up to '=', ';' or LF */
} cc_il_state_e;

/* Status line bytes looked at: "HTTP/1.x xyz" and the byte after the code. */
#define CC_IM_STATUS_LEN 13

struct cc_interim_t {
    cc_interim_keep_fn *keep;
    void *baton;
    cc_im_state_e state;
    cc_il_state_e sub;
    int status;         /* of the current (or last) block; -1 before the first */
    int cont;           /* the held line is an obs-fold continuation line */
    int seen_header;    /* a header line began in this block */
    int prev_drop;      /* the header that continuation lines belong to was dropped */
    apr_size_t matched; /* bytes of "set-cookie" matched */
    apr_size_t name_at; /* where the cookie name starts in hold */
    apr_size_t hlen;
    char hold[CC_INTERIM_HOLD];
};

static const char cc_im_sc[] = "set-cookie";

static int cc_im_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int cc_im_digit(char c)
{
    return c >= '0' && c <= '9';
}

cc_interim_t *cc_interim_create(apr_pool_t *p, cc_interim_keep_fn *keep, void *baton)
{
    cc_interim_t *f = apr_pcalloc(p, sizeof(*f));

    f->keep = keep;
    f->baton = baton;
    f->state = CC_IM_PASS;
    f->status = -1;
    return f;
}

void cc_interim_arm(cc_interim_t *f)
{
    if (f->state != CC_IM_TUNNEL) {
        f->state = CC_IM_STATUS;
        f->hlen = 0;
        f->status = -1;
    }
}

void cc_interim_disarm(cc_interim_t *f)
{
    if (f->state != CC_IM_TUNNEL) {
        f->state = CC_IM_PASS;
        f->hlen = 0;
    }
}

int cc_interim_active(const cc_interim_t *f)
{
    return f->state != CC_IM_PASS && f->state != CC_IM_TUNNEL;
}

int cc_interim_tunnel(const cc_interim_t *f)
{
    return f->state == CC_IM_TUNNEL;
}

int cc_interim_status(const cc_interim_t *f)
{
    return f->status;
}

int cc_interim_name_ok(const char *name, apr_size_t len)
{
    apr_size_t i;

    if (!name || !len) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* Whether c can be byte `pos` of a status line. */
static int cc_im_status_byte(apr_size_t pos, char c)
{
    static const char http[] = "http/1.";

    if (pos < 7) {
        return cc_im_lower(c) == http[pos];
    }
    switch (pos) {
    case 7:
    case 9:
    case 10:
    case 11:
        return cc_im_digit(c);
    case 8:
        return c == ' ';
    default:
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}

static void cc_im_flush(cc_interim_t *f, cc_interim_emit_fn *emit, void *eb)
{
    if (f->hlen) {
        emit(eb, f->hold, f->hlen);
        f->hlen = 0;
    }
}

static void cc_im_begin_line(cc_interim_t *f)
{
    f->state = CC_IM_LINE;
    f->sub = CC_IL_START;
    f->hlen = 0;
    f->cont = 0;
}

/* The held line is decided: emit it and what follows up to LF, or discard both. The byte being
 * looked at is not consumed: CC_IM_EMIT or CC_IM_SKIP takes it. */
static void cc_im_decide(cc_interim_t *f, int keep, cc_interim_emit_fn *emit, void *eb)
{
    if (!f->cont) {
        f->seen_header = 1;
        f->prev_drop = !keep;
    }
    if (keep) {
        cc_im_flush(f, emit, eb);
        f->state = CC_IM_EMIT;
    }
    else {
        f->hlen = 0;
        f->state = CC_IM_SKIP;
    }
}

static void cc_im_ask(cc_interim_t *f, const char *name, apr_size_t len,
                      cc_interim_emit_fn *emit, void *eb)
{
    cc_im_decide(f, f->keep(f->baton, f->status, name, len) != 0, emit, eb);
}

/* The Set-Cookie line's cookie name ends here ('=': named; ';' or LF: nameless). */
static void cc_im_cookie_end(cc_interim_t *f, int named, cc_interim_emit_fn *emit, void *eb)
{
    const char *b = f->hold + f->name_at;
    apr_size_t n = f->hlen - f->name_at;

    while (n && (b[n - 1] == ' ' || b[n - 1] == '\t')) {
        n--;
    }
    cc_im_ask(f, named && n ? b : "", named ? n : 0, emit, eb);
}

/* Holds c (returns 1), or, when the hold is full, hands the line to the callback as one whose
 * cookie name cannot be known (returns 0: c is not consumed). */
static int cc_im_hold(cc_interim_t *f, char c, cc_interim_emit_fn *emit, void *eb)
{
    if (f->hlen == CC_INTERIM_HOLD) {
        cc_im_ask(f, NULL, 0, emit, eb);
        return 0;
    }
    f->hold[f->hlen++] = c;
    return 1;
}

/* The empty line: the block is over. Returns 1 when the filter stops: for good after a 101, until
 * armed again after a final response (its body is not looked at). */
static int cc_im_end_block(cc_interim_t *f)
{
    f->hlen = 0;
    if (f->status == 101) {
        f->state = CC_IM_TUNNEL;
        return 1;
    }
    if (f->status < 100 || f->status > 199) {
        f->state = CC_IM_PASS;
        return 1;
    }
    f->state = CC_IM_STATUS;
    return 0;
}

/* One byte of a held header line. Returns the number of bytes consumed (0 or 1); sets *stop when
 * the filter stopped being active after it. */
static apr_size_t cc_im_line_byte(cc_interim_t *f, char c, cc_interim_emit_fn *emit, void *eb,
                                  int *stop)
{
    switch (f->sub) {
    case CC_IL_START:
        if (c == '\n') {
            emit(eb, "\n", 1);
            *stop = cc_im_end_block(f);
            return 1;
        }
        if (c == '\r') {
            f->sub = CC_IL_CR;
            return cc_im_hold(f, c, emit, eb);
        }
        if (c == ' ' || c == '\t') {
            f->cont = f->seen_header;
            if (f->cont && f->prev_drop) {
                cc_im_decide(f, 0, emit, eb);
                return 0;
            }
            f->sub = CC_IL_LEAD;
            return cc_im_hold(f, c, emit, eb);
        }
        f->sub = CC_IL_NAME;
        f->matched = 0;
        return 0;
    case CC_IL_CR:
        if (c == '\n') {
            cc_im_flush(f, emit, eb);
            emit(eb, "\n", 1);
            *stop = cc_im_end_block(f);
            return 1;
        }
        f->sub = CC_IL_LEAD;           /* a line starting with a bare CR: leading junk */
        return 0;
    case CC_IL_LEAD:
        if (c == ' ' || c == '\t' || c == '\r') {
            return cc_im_hold(f, c, emit, eb);
        }
        f->sub = CC_IL_NAME;
        f->matched = 0;
        return 0;
    case CC_IL_NAME:
        if (cc_im_lower(c) != cc_im_sc[f->matched]) {
            cc_im_decide(f, 1, emit, eb);   /* another header (or no header at all) */
            return 0;
        }
        if (!cc_im_hold(f, c, emit, eb)) {
            return 0;
        }
        if (++f->matched == sizeof(cc_im_sc) - 1) {
            f->sub = CC_IL_NAME_END;
        }
        return 1;
    case CC_IL_NAME_END:
        if (c == ' ' || c == '\t' || c == '\r') {
            return cc_im_hold(f, c, emit, eb);
        }
        if (c == ':') {
            f->sub = CC_IL_VALUE_LEAD;
            return cc_im_hold(f, c, emit, eb);
        }
        cc_im_decide(f, 1, emit, eb);   /* Set-Cookie2, Set-Cookies, ... */
        return 0;
    case CC_IL_VALUE_LEAD:
        if (c == ' ' || c == '\t') {
            return cc_im_hold(f, c, emit, eb);
        }
        f->sub = CC_IL_COOKIE;
        f->name_at = f->hlen;
        return 0;
    case CC_IL_COOKIE:
        if (c == '=' || c == ';' || c == '\n') {
            cc_im_cookie_end(f, c == '=', emit, eb);
            return 0;
        }
        return cc_im_hold(f, c, emit, eb);
    }
    return 0;
}

apr_size_t cc_interim_feed(cc_interim_t *f, const char *data, apr_size_t len,
                           cc_interim_emit_fn *emit, void *eb)
{
    apr_size_t i = 0, n;
    const char *nl;
    int stop = 0;

    while (i < len) {
        switch (f->state) {
        case CC_IM_PASS:
        case CC_IM_TUNNEL:
            return i;
        case CC_IM_STATUS:
            if (!cc_im_status_byte(f->hlen, data[i])) {
                cc_im_flush(f, emit, eb);
                f->state = CC_IM_PASS;
                return i;
            }
            f->hold[f->hlen++] = data[i++];
            if (f->hlen == CC_IM_STATUS_LEN) {
                f->status = (f->hold[9] - '0') * 100 + (f->hold[10] - '0') * 10
                            + (f->hold[11] - '0');
                f->seen_header = 0;
                f->prev_drop = 0;
                cc_im_flush(f, emit, eb);
                if (data[i - 1] == '\n') {
                    cc_im_begin_line(f);
                }
                else {
                    f->state = CC_IM_STATUS_REST;
                }
            }
            break;
        case CC_IM_STATUS_REST:
        case CC_IM_EMIT:
        case CC_IM_SKIP:
            nl = memchr(data + i, '\n', len - i);
            n = nl ? (apr_size_t)(nl - (data + i)) + 1 : len - i;
            if (f->state != CC_IM_SKIP) {
                emit(eb, data + i, n);
            }
            i += n;
            if (nl) {
                cc_im_begin_line(f);
            }
            break;
        case CC_IM_LINE:
            i += cc_im_line_byte(f, data[i], emit, eb, &stop);
            if (stop) {
                return i;
            }
            break;
        }
    }
    return i;
}

/* test_interim.c - the interim response filter, fed every one- and two-split of each input. */
#include "cc_test.h"
#include "cc_interim.h"

#include <apr_strings.h>

/* Refused by the test callback: these names, nameless ones and unknown ones. */
static const char *const refused[] = {"_pk_id", "_pk_id.ws", "cookieconsent", "tracker", NULL};

typedef struct {
    char *buf;
    apr_size_t len, cap;
    apr_pool_t *p;
} sink_t;

typedef struct {
    const char *log;    /* "status:name;" per callback call, "(null)" and "" for the odd ones */
    apr_pool_t *p;
    int keep_all;
} judge_t;

static void sink_put(sink_t *s, const char *d, apr_size_t n)
{
    if (!n) {
        return;
    }
    if (s->len + n > s->cap) {
        char *nb;
        s->cap = (s->len + n) * 2 + 64;
        nb = apr_palloc(s->p, s->cap);
        if (s->len) {
            memcpy(nb, s->buf, s->len);
        }
        s->buf = nb;
    }
    memcpy(s->buf + s->len, d, n);
    s->len += n;
}

static void emit(void *baton, const char *d, apr_size_t n)
{
    sink_put(baton, d, n);
}

static int judge(void *baton, int status, const char *name, apr_size_t len)
{
    judge_t *j = baton;
    int i;

    j->log = apr_psprintf(j->p, "%s%d:%s;", j->log, status,
                          name ? apr_pstrmemdup(j->p, name, len) : "(null)");
    if (j->keep_all) {
        return 1;
    }
    if (!cc_interim_name_ok(name, len)) {
        return 0;
    }
    for (i = 0; refused[i]; i++) {
        if (strlen(refused[i]) == len && !memcmp(refused[i], name, len)) {
            return 0;
        }
    }
    return 1;
}

/* Feeds chunks [0,a) [a,b) [b,n) like the httpd glue: what is not consumed passes unchanged. */
static void run(cc_interim_t *f, const char *in, apr_size_t n, apr_size_t a, apr_size_t b,
                sink_t *out)
{
    apr_size_t cuts[3], start = 0, used;
    int i;

    cuts[0] = a;
    cuts[1] = b;
    cuts[2] = n;
    for (i = 0; i < 3; i++) {
        const char *d = in + start;
        apr_size_t len = cuts[i] - start;

        if (cc_interim_active(f)) {
            used = cc_interim_feed(f, d, len, emit, out);
            CHECK(used <= len);
            sink_put(out, d + used, len - used);
            if (used < len) {
                CHECK(!cc_interim_active(f));
            }
        }
        else {
            CHECK_INT(cc_interim_feed(f, d, len, emit, out), 0);
            sink_put(out, d, len);
        }
        start = cuts[i];
    }
}

static const char *show(apr_pool_t *p, const char *s, apr_size_t n)
{
    char *o = apr_palloc(p, n * 4 + 1), *w = o;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            *w++ = '\\', *w++ = 'r';
        }
        else if (c == '\n') {
            *w++ = '\\', *w++ = 'n';
        }
        else if (c < 0x20 || c >= 0x7f) {
            w += apr_snprintf(w, 5, "\\x%02x", c);
        }
        else {
            *w++ = (char)c;
        }
    }
    *w = '\0';
    return o;
}

/* Checks that every one- and two-split of in (n bytes) gives want, that the callback saw
 * want_log, and that the filter ends active (or not) as told. Inputs longer than 600 bytes get
 * every one-split and the two-splits less than 4 bytes apart (a chunk of 1 to 3 bytes anywhere). */
static void expect_n(const char *in, apr_size_t n, const char *want, apr_size_t wn,
                     const char *want_log, int active_after, int line)
{
    apr_size_t a, b;
    int bad = 0;

    cc_test_checks++;
    for (a = 0; a <= n && !bad; a++) {
        for (b = a; b <= n && !bad; b = (n > 600 && b >= a + 3) ? (b < n ? n : n + 1) : b + 1) {
            apr_pool_t *p;
            sink_t out = {NULL, 0, 0, NULL};
            judge_t j = {"", NULL, 0};
            cc_interim_t *f;

            apr_pool_create(&p, cc_test_pool);
            out.p = j.p = p;
            f = cc_interim_create(p, judge, &j);
            cc_interim_arm(f);
            run(f, in, n, a, b, &out);
            if (out.len != wn || (wn && memcmp(out.buf, want, wn))
                || (want_log && strcmp(j.log, want_log))
                || (active_after >= 0 && cc_interim_active(f) != active_after)) {
                bad = 1;
                cc_test_failures++;
                fprintf(stderr, "test_interim.c:%d: split %lu/%lu\n    in:   %s\n    got:  %s\n"
                        "    want: %s\n    log:  %s (want %s)\n    active %d (want %d)\n", line,
                        (unsigned long)a, (unsigned long)b, show(p, in, n),
                        show(p, out.buf ? out.buf : "", out.len), show(p, want, wn), j.log,
                        want_log ? want_log : "(any)", cc_interim_active(f), active_after);
            }
            apr_pool_destroy(p);
        }
    }
}

#define EXPECT(in, want, log, active) \
    expect_n((in), strlen(in), (want), strlen(want), (log), (active), __LINE__)

static void test_early_hints(void)
{
    EXPECT("HTTP/1.1 103 Early Hints\r\n"
           "Link: </s.css>; rel=preload; as=style\r\n"
           "Set-Cookie: sessionid=s1; Path=/; HttpOnly\r\n"
           "Set-Cookie: _pk_id.ws=1; Path=/\r\n"
           "Set-Cookie: cookieconsent=1.forged; Path=/\r\n"
           "Set-Cookie: csrftoken=c1\r\n"
           "\r\n",
           "HTTP/1.1 103 Early Hints\r\n"
           "Link: </s.css>; rel=preload; as=style\r\n"
           "Set-Cookie: sessionid=s1; Path=/; HttpOnly\r\n"
           "Set-Cookie: csrftoken=c1\r\n"
           "\r\n",
           "103:sessionid;103:_pk_id.ws;103:cookieconsent;103:csrftoken;", 1);
}

static void test_blocks_in_a_row(void)
{
    /* 103, 103, then a final response still armed for (one that did not go through the
     * caller's own filters): its header block is filtered too, its body is not looked at. */
    EXPECT("HTTP/1.1 103 Early Hints\r\nSet-Cookie: _pk_id=1\r\nLink: <a>\r\n\r\n"
           "HTTP/1.1 103 Early Hints\r\nSet-Cookie: sid=2\r\nSet-Cookie: tracker=3\r\n\r\n"
           "HTTP/1.1 200 OK\r\nSet-Cookie: _pk_id=9\r\nContent-Length: 2\r\n\r\nok",
           "HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\n"
           "HTTP/1.1 103 Early Hints\r\nSet-Cookie: sid=2\r\n\r\n"
           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
           "103:_pk_id;103:sid;103:tracker;200:_pk_id;", 0);
    /* 100 Continue then 101: the tunnel starts after the 101 block. */
    EXPECT("HTTP/1.1 100 Continue\r\nSet-Cookie: _pk_id=1\r\n\r\n"
           "HTTP/1.1 101 Switching Protocols\r\nSet-Cookie: tracker=1\r\n\r\n"
           "Set-Cookie: _pk_id=2\r\n\r\n",
           "HTTP/1.1 100 Continue\r\n\r\n"
           "HTTP/1.1 101 Switching Protocols\r\n\r\n"
           "Set-Cookie: _pk_id=2\r\n\r\n",
           "100:_pk_id;101:tracker;", 0);
    /* Nothing but the status line and the empty line. */
    EXPECT("HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 100 Continue\r\n\r\n", "", 1);
    EXPECT("HTTP/1.1 100\n\nHTTP/1.1 100\r\n\r\n", "HTTP/1.1 100\n\nHTTP/1.1 100\r\n\r\n", "", 1);
}

static void test_tunnel(void)
{
    static const char in[] =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Set-Cookie: _pk_id.ws=1\r\nSet-Cookie: sessionid=w\r\n\r\n"
        "\x81\x05hello\0\r\nSet-Cookie: _pk_id=1\r\n\r\nHTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1\r\n"
        "\r\n\xff\xfe";
    static const char want[] =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Set-Cookie: sessionid=w\r\n\r\n"
        "\x81\x05hello\0\r\nSet-Cookie: _pk_id=1\r\n\r\nHTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1\r\n"
        "\r\n\xff\xfe";
    apr_pool_t *p = cc_test_pool;
    judge_t j = {"", p, 0};
    sink_t out = {NULL, 0, 0, p};
    cc_interim_t *f;
    apr_size_t head = strstr(in, "\r\n\r\n") + 4 - in;

    expect_n(in, sizeof(in) - 1, want, sizeof(want) - 1, "101:_pk_id.ws;101:sessionid;", 0, __LINE__);

    /* One chunk: consumption stops right after the empty line; arming again changes nothing. */
    f = cc_interim_create(p, judge, &j);
    cc_interim_arm(f);
    CHECK_INT(cc_interim_feed(f, in, sizeof(in) - 1, emit, &out), head);
    CHECK(cc_interim_tunnel(f));
    CHECK(!cc_interim_active(f));
    cc_interim_arm(f);
    CHECK(cc_interim_tunnel(f));
    CHECK(!cc_interim_active(f));
    CHECK_INT(cc_interim_feed(f, "HTTP/1.1 103 x\r\n", 16, emit, &out), 0);
}

static void test_bare_lf(void)
{
    EXPECT("HTTP/1.1 103 Early Hints\nSet-Cookie: _pk_id=1\nLink: <x>\nSet-Cookie: sid=1\n\n",
           "HTTP/1.1 103 Early Hints\nLink: <x>\nSet-Cookie: sid=1\n\n",
           "103:_pk_id;103:sid;", 1);
    /* Mixed endings; a bare CR inside a line is content. */
    EXPECT("HTTP/1.1 103 Early Hints\r\nX: a\rb\nSet-Cookie: _pk_id=1\r\nSet-Cookie: s=1\n\r\n",
           "HTTP/1.1 103 Early Hints\r\nX: a\rb\nSet-Cookie: s=1\n\r\n", "103:_pk_id;103:s;", 1);
    /* A line that starts with a bare CR is still judged. */
    EXPECT("HTTP/1.1 103 x\r\n\rSet-Cookie: _pk_id=1\r\n\r\n", "HTTP/1.1 103 x\r\n\r\n",
           "103:_pk_id;", 1);
    EXPECT("HTTP/1.1 103 x\r\n\r\rX: y\r\n\r\n", "HTTP/1.1 103 x\r\n\r\rX: y\r\n\r\n", "", 1);
}

static void test_names_and_case(void)
{
    EXPECT("HTTP/1.1 103 x\r\nset-cookie: _pk_id=1\r\nSET-COOKIE:_pk_id=1\r\n"
           "sEt-CoOkIe :\t_pk_id=1\r\nSet-Cookie\t: tracker=1\r\nSet-Cookie:  _pk_id  =1\r\n"
           "Set-Cookie: sid=1\r\n\r\n",
           "HTTP/1.1 103 x\r\nSet-Cookie: sid=1\r\n\r\n",
           "103:_pk_id;103:_pk_id;103:_pk_id;103:tracker;103:_pk_id;103:sid;", 1);
    /* Other headers, even close ones, are never judged. */
    EXPECT("HTTP/1.1 103 x\r\nSet-Cookie2: _pk_id=1\r\nSet-Cookies: _pk_id=1\r\n"
           "X-Set-Cookie: _pk_id=1\r\nSet-Cooki: _pk_id=1\r\nSet_Cookie: _pk_id=1\r\n"
           "no colon line\r\nSet-Cookie\r\n\r\n",
           "HTTP/1.1 103 x\r\nSet-Cookie2: _pk_id=1\r\nSet-Cookies: _pk_id=1\r\n"
           "X-Set-Cookie: _pk_id=1\r\nSet-Cooki: _pk_id=1\r\nSet_Cookie: _pk_id=1\r\n"
           "no colon line\r\nSet-Cookie\r\n\r\n", "", 1);
    /* Nameless cookies: no '=', '=' first, ';' before '=', nothing at all. */
    EXPECT("HTTP/1.1 103 x\r\nSet-Cookie: =x=1\r\nSet-Cookie: novalue\r\nSet-Cookie: ;a=1\r\n"
           "Set-Cookie:\r\nSet-Cookie:   \r\nSet-Cookie: \t=v\r\nSet-Cookie: sid=1\r\n\r\n",
           "HTTP/1.1 103 x\r\nSet-Cookie: sid=1\r\n\r\n",
           "103:;103:;103:;103:;103:;103:;103:sid;", 1);
    /* The callback gets raw bytes: a control byte in the name is its problem (it drops). */
    {
        static const char ctl[] = "HTTP/1.1 103 x\r\nSet-Cookie: a\001b=1\r\nSet-Cookie: a\0b=1\r\n"
                                  "Set-Cookie: sid=1\r\n\r\n";
        static const char ctl_want[] = "HTTP/1.1 103 x\r\nSet-Cookie: sid=1\r\n\r\n";

        expect_n(ctl, sizeof(ctl) - 1, ctl_want, sizeof(ctl_want) - 1, NULL, 1, __LINE__);
    }
    CHECK(!cc_interim_name_ok(NULL, 0));
    CHECK(!cc_interim_name_ok("", 0));
    CHECK(!cc_interim_name_ok("a\rb", 3));
    CHECK(!cc_interim_name_ok("a\0b", 3));
    CHECK(!cc_interim_name_ok("a\177", 2));
    CHECK(cc_interim_name_ok("a\tb", 3));
    CHECK(cc_interim_name_ok("_pk_id.1.abcd", 13));
}

static void test_folded(void)
{
    /* A dropped Set-Cookie takes its continuation lines along; a kept one keeps them. */
    EXPECT("HTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1;\r\n Path=/;\r\n\tSecure\r\n"
           "Set-Cookie: sid=1;\r\n\tPath=/\r\nLink: <a>\r\n\r\n",
           "HTTP/1.1 103 x\r\nSet-Cookie: sid=1;\r\n\tPath=/\r\nLink: <a>\r\n\r\n",
           "103:_pk_id;103:sid;", 1);
    /* The name on the continuation line: nameless first line, dropped with its fold. */
    EXPECT("HTTP/1.1 103 x\r\nSet-Cookie:\r\n sid=1\r\nLink: <a>\r\n\r\n",
           "HTTP/1.1 103 x\r\nLink: <a>\r\n\r\n", "103:;", 1);
    /* A continuation of a kept header that reads as a Set-Cookie on its own is judged. */
    EXPECT("HTTP/1.1 103 x\r\nX-A: 1\r\n Set-Cookie: _pk_id=1\r\n\tset-cookie: sid=2\r\n"
           "  more\r\n\r\n",
           "HTTP/1.1 103 x\r\nX-A: 1\r\n\tset-cookie: sid=2\r\n  more\r\n\r\n",
           "103:_pk_id;103:sid;", 1);
    /* Continuation right after the status line: judged as a line of its own. */
    EXPECT("HTTP/1.1 103 x\r\n Set-Cookie: _pk_id=1\r\n X: 1\r\nY: 2\r\n\r\n",
           "HTTP/1.1 103 x\r\nY: 2\r\n\r\n", "103:_pk_id;", 1);
    EXPECT("HTTP/1.1 103 x\r\n X: 1\r\n Set-Cookie: _pk_id=1\r\n\r\n",
           "HTTP/1.1 103 x\r\n X: 1\r\n\r\n", "103:_pk_id;", 1);
    /* A whitespace-only line is a continuation, not the end of the block. */
    EXPECT("HTTP/1.1 103 x\r\nX: 1\r\n \r\nSet-Cookie: _pk_id=1\r\n\r\n",
           "HTTP/1.1 103 x\r\nX: 1\r\n \r\n\r\n", "103:_pk_id;", 1);
}

static const char *repeat(char c, apr_size_t n)
{
    char *s = apr_palloc(cc_test_pool, n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_long_lines(void)
{
    const char *lname = repeat('a', CC_INTERIM_HOLD);
    const char *lval = repeat('v', 3 * CC_INTERIM_HOLD);
    const char *lws = repeat(' ', CC_INTERIM_HOLD + 5);
    apr_pool_t *p = cc_test_pool;
    const char *in, *want;

    /* A name that does not fit: handed over as unknown, dropped. */
    in = apr_pstrcat(p, "HTTP/1.1 103 x\r\nSet-Cookie: ", lname, "=1\r\nLink: <a>\r\n\r\n", NULL);
    EXPECT(in, "HTTP/1.1 103 x\r\nLink: <a>\r\n\r\n", "103:(null);", 1);
    /* The longest name that fits. */
    in = apr_pstrcat(p, "HTTP/1.1 103 x\r\nSet-Cookie: ", lname + 12, "=1\r\n\r\n", NULL);
    EXPECT(in, in, apr_pstrcat(p, "103:", lname + 12, ";", NULL), 1);
    /* Long values and long other headers stream through. */
    in = apr_pstrcat(p, "HTTP/1.1 103 x\r\nSet-Cookie: sid=", lval, "\r\nX-Long: ", lval,
                     "\r\nSet-Cookie: _pk_id=", lval, "\r\n\r\n", NULL);
    want = apr_pstrcat(p, "HTTP/1.1 103 x\r\nSet-Cookie: sid=", lval, "\r\nX-Long: ", lval,
                       "\r\n\r\n", NULL);
    EXPECT(in, want, "103:sid;103:_pk_id;", 1);
    /* Whitespace that never ends: a line that could still be a Set-Cookie is unknown. */
    in = apr_pstrcat(p, "HTTP/1.1 103 x\r\nSet-Cookie", lws, ": sid=1\r\nX: 1\r\n", lws,
                     "Set-Cookie: sid=1\r\n\r\n", NULL);
    EXPECT(in, "HTTP/1.1 103 x\r\nX: 1\r\n\r\n", "103:(null);103:(null);", 1);
    /* A long status line is streamed. */
    in = apr_pstrcat(p, "HTTP/1.1 103 ", lval, "\r\nSet-Cookie: _pk_id=1\r\n\r\n", NULL);
    EXPECT(in, apr_pstrcat(p, "HTTP/1.1 103 ", lval, "\r\n\r\n", NULL), "103:_pk_id;", 1);
}

static void test_final_response(void)
{
    /* A backend that refused a WebSocket upgrade, relayed raw: refused, consent and nameless
     * cookies dropped, the others byte for byte and in order; the body (which looks like headers
     * and like another response) passes untouched; the filter is disarmed after the empty line. */
    EXPECT("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
           "Set-Cookie: sessionid=s1; Path=/; HttpOnly\r\n"
           "Set-Cookie: _pk_id=1; Path=/\r\n"
           "set-cookie:cookieconsent=1.forged\r\n"
           "Set-Cookie: novalue\r\n"
           "Set-Cookie: csrftoken=c1;\r\n\tPath=/\r\n"
           "Set-Cookie: tracker=1;\r\n Path=/\r\n"
           "Content-Length: 64\r\n\r\n"
           "Set-Cookie: _pk_id=2\r\n\r\nHTTP/1.1 103 x\r\nSet-Cookie: _pk_id=3\r\n\r\n\0\xff",
           "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
           "Set-Cookie: sessionid=s1; Path=/; HttpOnly\r\n"
           "Set-Cookie: csrftoken=c1;\r\n\tPath=/\r\n"
           "Content-Length: 64\r\n\r\n"
           "Set-Cookie: _pk_id=2\r\n\r\nHTTP/1.1 103 x\r\nSet-Cookie: _pk_id=3\r\n\r\n\0\xff",
           "403:sessionid;403:_pk_id;403:cookieconsent;403:;403:csrftoken;403:tracker;", 0);
    /* A 200 (an upgrade the backend answered as a plain request), bare LF endings. */
    EXPECT("HTTP/1.0 200 OK\nSet-Cookie: _pk_id.ws=1\nSet-Cookie: sid=2\n\n"
           "Set-Cookie: _pk_id=1\n\n",
           "HTTP/1.0 200 OK\nSet-Cookie: sid=2\n\nSet-Cookie: _pk_id=1\n\n",
           "200:_pk_id.ws;200:sid;", 0);
    /* Any three digits that do not start with 1; no reason phrase. */
    EXPECT("HTTP/1.1 302\r\nSet-Cookie: _pk_id=1\r\nLocation: /\r\n\r\nx",
           "HTTP/1.1 302\r\nLocation: /\r\n\r\nx", "302:_pk_id;", 0);
    EXPECT("http/1.0 099\tx\r\nSet-Cookie: _pk_id=1\r\n\r\n", "http/1.0 099\tx\r\n\r\n",
           "99:_pk_id;", 0);
    EXPECT("HTTP/1.1 999 x\r\nSet-Cookie: _pk_id=1\r\n\r\n", "HTTP/1.1 999 x\r\n\r\n",
           "999:_pk_id;", 0);
    /* 100 Continue, then the final answer. */
    EXPECT("HTTP/1.1 100 Continue\r\nSet-Cookie: tracker=1\r\n\r\n"
           "HTTP/1.1 401 x\r\nSet-Cookie: tracker=2\r\nSet-Cookie: sid=3\r\n\r\nbody",
           "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 x\r\nSet-Cookie: sid=3\r\n\r\nbody",
           "100:tracker;401:tracker;401:sid;", 0);
    /* No header at all: the status line and the empty line, then the body. */
    EXPECT("HTTP/1.1 204 No Content\r\n\r\nSet-Cookie: _pk_id=1\r\n",
           "HTTP/1.1 204 No Content\r\n\r\nSet-Cookie: _pk_id=1\r\n", "", 0);
    /* Cut short (the connection closed inside the block): still active, the line start held. */
    EXPECT("HTTP/1.1 403 x\r\nSet-Cookie: sid=1\r\nSet-Cookie: _pk_id=1\r\nSet-Coo",
           "HTTP/1.1 403 x\r\nSet-Cookie: sid=1\r\n", "403:sid;403:_pk_id;", 1);
    {
        /* A name that does not fit, a long value. */
        const char *lname = repeat('a', CC_INTERIM_HOLD);
        const char *lval = repeat('v', 3 * CC_INTERIM_HOLD);
        apr_pool_t *p = cc_test_pool;
        const char *in = apr_pstrcat(p, "HTTP/1.1 403 x\r\nSet-Cookie: ", lname, "=1\r\n"
                                     "Set-Cookie: sid=", lval, "\r\n\r\n", lval, NULL);
        const char *want = apr_pstrcat(p, "HTTP/1.1 403 x\r\nSet-Cookie: sid=", lval,
                                       "\r\n\r\n", lval, NULL);

        EXPECT(in, want, "403:(null);403:sid;", 0);
    }
}

static void test_final_then_rearm(void)
{
    static const char in[] = "HTTP/1.1 403 Forbidden\r\nSet-Cookie: _pk_id=1\r\n"
                             "Set-Cookie: sid=1\r\nContent-Length: 5\r\n\r\nHTTP/";
    apr_pool_t *p = cc_test_pool;
    judge_t j = {"", p, 0};
    sink_t out = {NULL, 0, 0, p};
    cc_interim_t *f = cc_interim_create(p, judge, &j);
    apr_size_t head = strstr(in, "\r\n\r\n") + 4 - in;
    static const char blk[] = "HTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1\r\n\r\n";

    CHECK_INT(cc_interim_status(f), -1);
    cc_interim_arm(f);
    CHECK_INT(cc_interim_status(f), -1);
    /* One chunk: consumption stops right after the empty line; not a tunnel. */
    CHECK_INT(cc_interim_feed(f, in, sizeof(in) - 1, emit, &out), head);
    CHECK_INT(out.len, head - strlen("Set-Cookie: _pk_id=1\r\n"));
    CHECK(!cc_interim_active(f));
    CHECK(!cc_interim_tunnel(f));
    CHECK_INT(cc_interim_status(f), 403);
    CHECK_INT(cc_interim_feed(f, "HTTP/1.1 103 x\r\n", 16, emit, &out), 0);
    /* The next request on the connection arms it again. */
    cc_interim_arm(f);
    CHECK(cc_interim_active(f));
    CHECK_INT(cc_interim_status(f), -1);
    CHECK_INT(cc_interim_feed(f, blk, sizeof(blk) - 1, emit, &out), sizeof(blk) - 1);
    CHECK_INT(cc_interim_status(f), 103);
    CHECK(cc_interim_active(f));
    CHECK_STR(j.log, "403:_pk_id;403:sid;103:_pk_id;");
    /* Garbage after arming: the status stays unknown. */
    cc_interim_arm(f);
    CHECK_INT(cc_interim_feed(f, "\x16\x03", 2, emit, &out), 0);
    CHECK(!cc_interim_active(f));
    CHECK_INT(cc_interim_status(f), -1);
    /* A keep-everything callback (report mode) changes nothing in a final block either. */
    {
        judge_t k = {"", p, 1};
        sink_t o2 = {NULL, 0, 0, p};
        cc_interim_t *g = cc_interim_create(p, judge, &k);

        cc_interim_arm(g);
        CHECK_INT(cc_interim_feed(g, in, sizeof(in) - 1, emit, &o2), head);
        CHECK(o2.len == head && !memcmp(o2.buf, in, head));
        CHECK_STR(k.log, "403:_pk_id;403:sid;");
    }
}

static void test_not_status_line(void)
{
    static const char *const others[] = {
        "HTTP/2 103 Early Hints\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/2 403 Forbidden\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1  103 x\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1  403 x\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1 1034\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1 4034\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1 10x\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1 4x3\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.1 -03\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "HTTP/1.x 403\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "\r\nHTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        " HTTP/1.1 403 x\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "ICY 103 x\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "ICY 200 OK\r\nSet-Cookie: _pk_id=1\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        "\x81\x05hello",
        NULL
    };
    int i;

    for (i = 0; others[i]; i++) {
        apr_size_t n = strlen(others[i]);
        expect_n(others[i], n, others[i], n, "", 0, __LINE__);
    }
    /* Held while it could still be a status line. */
    EXPECT("HTTP/1.1 10", "", "", 1);
    EXPECT("HTTP/1.1 40", "", "", 1);
    /* Case-insensitive HTTP, any minor version, HT after the code. */
    EXPECT("http/1.9 103\tx\r\nSet-Cookie: _pk_id=1\r\n\r\n", "http/1.9 103\tx\r\n\r\n",
           "103:_pk_id;", 1);
}

static void test_arm_disarm(void)
{
    apr_pool_t *p = cc_test_pool;
    judge_t j = {"", p, 0};
    sink_t out = {NULL, 0, 0, p};
    cc_interim_t *f = cc_interim_create(p, judge, &j);
    static const char blk[] = "HTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1\r\n\r\n";

    /* Created disarmed. */
    CHECK(!cc_interim_active(f));
    CHECK_INT(cc_interim_feed(f, blk, sizeof(blk) - 1, emit, &out), 0);
    cc_interim_arm(f);
    CHECK(cc_interim_active(f));
    CHECK_INT(cc_interim_feed(f, blk, sizeof(blk) - 1, emit, &out), sizeof(blk) - 1);
    CHECK_INT(out.len, 18);
    /* Disarmed in the middle of a held line: the held bytes are gone, the rest passes. */
    CHECK_INT(cc_interim_feed(f, "HTTP/1.1 103 x\r\nSet-Coo", 23, emit, &out), 23);
    CHECK_INT(out.len, 18 + 16);
    cc_interim_disarm(f);
    CHECK(!cc_interim_active(f));
    CHECK(!cc_interim_tunnel(f));
    CHECK_INT(cc_interim_feed(f, "kie: _pk_id=1\r\n", 15, emit, &out), 0);
    /* Armed again (a new request on the connection). */
    cc_interim_arm(f);
    CHECK_INT(cc_interim_feed(f, blk, sizeof(blk) - 1, emit, &out), sizeof(blk) - 1);
    CHECK_INT(out.len, 18 + 16 + 18);
    CHECK_STR(j.log, "103:_pk_id;103:_pk_id;");
    /* A keep-everything callback (report mode) gets every Set-Cookie line and drops nothing. */
    {
        judge_t k = {"", p, 1};
        const char *lname = repeat('n', 2 * CC_INTERIM_HOLD);
        const char *in = apr_pstrcat(p, "HTTP/1.1 103 x\r\nSet-Cookie: _pk_id=1\r\n"
                                     "Set-Cookie: novalue\r\nSet-Cookie: ", lname, "=1\r\n\r\n",
                                     NULL);
        sink_t o2 = {NULL, 0, 0, p};
        cc_interim_t *g = cc_interim_create(p, judge, &k);

        cc_interim_arm(g);
        CHECK_INT(cc_interim_feed(g, in, strlen(in), emit, &o2), strlen(in));
        CHECK_INT(o2.len, strlen(in));
        CHECK(o2.len == strlen(in) && !memcmp(o2.buf, in, o2.len));
        CHECK_STR(k.log, "103:_pk_id;103:;103:(null);");
    }
}

const cc_test_case cc_interim_tests[] = {
    {"interim_early_hints", test_early_hints},
    {"interim_blocks_in_a_row", test_blocks_in_a_row},
    {"interim_tunnel", test_tunnel},
    {"interim_bare_lf", test_bare_lf},
    {"interim_names_and_case", test_names_and_case},
    {"interim_folded", test_folded},
    {"interim_long_lines", test_long_lines},
    {"interim_final_response", test_final_response},
    {"interim_final_then_rearm", test_final_then_rearm},
    {"interim_not_status_line", test_not_status_line},
    {"interim_arm_disarm", test_arm_disarm},
    {NULL, NULL}
};

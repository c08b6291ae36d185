/* mod_cc_gate.c - COOKIECONSENT_GATE: third-party scripts, iframes and pixels wait for consent
 * (the httpd glue of src/cc_gate.c).
 *
 * AP_FTYPE_RESOURCE, inserted just before COOKIECONSENT_BANNER (so after SSI, before
 * mod_deflate), on HTML responses of sites whose declarations have Block or BlockInline rules.
 * It streams: every byte is fed to the rewriter once and passed on as soon as the rewriter says
 * it can no longer change (cc_gate_hold); what is kept is at most a start tag, or a start tag and
 * CC_GATE_INLINE_MAX bytes of inline script, whatever the size of the page. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#include "cc_decision.h"
#include "cc_gate.h"
#include "cc_html.h"
#include "cc_http.h"
#include "cc_render.h"
#include "cc_text.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

typedef struct {
    cc_gate_t *gate;
    cc_render_t rc;
    const char *cache_key;              /* a static file whose edits can be kept; NULL: not */
    apr_array_header_t *record;         /* cc_gate_edit_t: every edit, for the cache */
    apr_bucket_brigade *held;           /* read, not passed on yet */
    apr_off_t held_start;               /* input offset of held's first byte */
    apr_off_t shift;                    /* bytes held has more than the input it stands for */
    apr_off_t fed;                      /* input bytes read so far */
    int edits;
    int nonce_in_head;                  /* the head text carries this response's nonce */
    const char *head_tag;               /* Google Consent Mode's, or NULL */
    apr_file_t *file;                   /* the static file (cache_key's) */
} cc_gate_ctx;

static ap_filter_rec_t *cc_gate_handle;

/* ------------------------------------------------------------------------------------------ */
/* Per child: the edits of a static file version for a visitor state, so that the next such
 * request scans nothing and the file still goes out by sendfile. */

#define CC_GATE_CACHE_ENTRIES 512
#define CC_GATE_CACHE_BYTES (1024 * 1024)

typedef struct {
    apr_off_t start, end;               /* the bytes of the file it replaces */
    apr_size_t off, len;                /* its text in the entry's texts */
} cc_gate_span_t;

/* One allocation: this header, n spans, then the texts one after the other, so that a request
 * takes its copy with one memcpy (the cache may start over while it replays). */
typedef struct {
    apr_size_t size;                    /* bytes of the whole entry */
    int n;
    cc_gate_span_t *spans;
    char *texts;
    apr_size_t texts_len;
    apr_off_t delta;                    /* bytes the page grows by */
    int held;                           /* elements held (the status counter) */
} cc_gate_cached;

#define CC_GATE_HEAD APR_ALIGN_DEFAULT(sizeof(cc_gate_cached))

static apr_pool_t *cc_gate_cache_pool;
static apr_hash_t *cc_gate_cache;
static apr_size_t cc_gate_cache_bytes;
#if APR_HAS_THREADS
static apr_thread_mutex_t *cc_gate_cache_mutex;
#endif

static void cc_gate_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    apr_pool_create(&cc_gate_cache_pool, pchild);
    cc_gate_cache = apr_hash_make_custom(cc_gate_cache_pool, cc_text_hash);
    cc_gate_cache_bytes = 0;
#if APR_HAS_THREADS
    apr_thread_mutex_create(&cc_gate_cache_mutex, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

static void cc_gate_cache_lock(int lock)
{
#if APR_HAS_THREADS
    if (cc_gate_cache_mutex) {
        (lock ? apr_thread_mutex_lock : apr_thread_mutex_unlock)(cc_gate_cache_mutex);
    }
#else
    (void)lock;
#endif
}

/* A copy of the cached edits for key (in p), or NULL. */
static cc_gate_cached *cc_gate_cache_get(apr_pool_t *p, const char *key)
{
    cc_gate_cached *c, *out = NULL;

    if (!cc_gate_cache) {
        return NULL;
    }
    cc_gate_cache_lock(1);
    if ((c = apr_hash_get(cc_gate_cache, key, APR_HASH_KEY_STRING))) {
        out = apr_pmemdup(p, c, c->size);
        out->spans = (cc_gate_span_t *)((char *)out + CC_GATE_HEAD);
        out->texts = (char *)(out->spans + out->n);
    }
    cc_gate_cache_lock(0);
    return out;
}

/* Edits closer than this many bytes of the file become one span whose text holds the bytes
 * between them (read from the file once, when the entry is made): a replay then cuts the file
 * once per span, not twice per element, and the small pieces between elements (which httpd's
 * core would read into memory anyway) are not file buckets. */
#define CC_GATE_GAP 2048
#define CC_GATE_ENTRY_TEXTS (64 * 1024)     /* an entry's texts, gaps included, at most */

static void cc_gate_cache_put(request_rec *r, const char *key, const apr_array_header_t *edits,
                              int held, apr_file_t *file)
{
    const cc_gate_edit_t *e = (const cc_gate_edit_t *)edits->elts;
    apr_size_t texts = 0, need, off = 0, len;
    char *merge = apr_pcalloc(r->pool, (apr_size_t)edits->nelts + 1);
    int i, spans = 0;
    cc_gate_cached *c;
    cc_gate_span_t *sp = NULL;
    apr_finfo_t fi;

    if (!cc_gate_cache) {
        return;
    }
    for (i = 0; i < edits->nelts; i++) {
        apr_off_t gap = i ? e[i].start - e[i - 1].end : -1;
        len = strlen(e[i].text);
        merge[i] = file && gap >= 0 && gap <= CC_GATE_GAP
                   && texts + (apr_size_t)gap + len <= CC_GATE_ENTRY_TEXTS;
        texts += len + (merge[i] ? (apr_size_t)gap : 0);
        spans += !merge[i];
    }
    need = CC_GATE_HEAD + sizeof(cc_gate_span_t) * (apr_size_t)spans + texts + 1;
    /* Built in the request first: the gaps are read from the file without the lock. */
    c = apr_pcalloc(r->pool, need);
    c->size = need;
    c->n = spans;
    c->held = held;
    c->spans = (cc_gate_span_t *)((char *)c + CC_GATE_HEAD);
    c->texts = (char *)(c->spans + c->n);
    for (i = 0; i < edits->nelts; i++) {
        len = strlen(e[i].text);
        if (merge[i]) {
            apr_off_t at = e[i - 1].end;
            apr_size_t gap = (apr_size_t)(e[i].start - e[i - 1].end), got = 0;
            if (gap && (apr_file_seek(file, APR_SET, &at) != APR_SUCCESS
                        || apr_file_read_full(file, c->texts + off, gap, &got) != APR_SUCCESS
                        || got != gap)) {
                return;                     /* no entry: the next request scans again */
            }
            off += gap;
            sp->end = e[i].end;
        }
        else {
            sp = sp ? sp + 1 : c->spans;
            sp->start = e[i].start;
            sp->end = e[i].end;
            sp->off = off;
        }
        memcpy(c->texts + off, e[i].text, len);
        off += len;
        sp->len = off - sp->off;
    }
    c->texts_len = off;
    for (i = 0; i < c->n; i++) {
        c->delta += (apr_off_t)c->spans[i].len - (c->spans[i].end - c->spans[i].start);
    }
    /* the bytes read are the ones served: the file did not change meanwhile */
    if (file && (apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_MTIME | APR_FINFO_INODE, file)
                 != APR_SUCCESS || fi.size != r->finfo.size || fi.mtime != r->finfo.mtime
                 || fi.inode != r->finfo.inode)) {
        return;
    }
    cc_gate_cache_lock(1);
    if (apr_hash_count(cc_gate_cache) >= CC_GATE_CACHE_ENTRIES
        || cc_gate_cache_bytes + need + strlen(key) > CC_GATE_CACHE_BYTES) {
        /* Starting over is simpler than an LRU, and a full cache is rare: entries are per
         * file version, state, language and URL. Requests hold copies, never pointers. */
        apr_pool_clear(cc_gate_cache_pool);
        cc_gate_cache = apr_hash_make_custom(cc_gate_cache_pool, cc_text_hash);
        cc_gate_cache_bytes = 0;
    }
    {
        cc_gate_cached *kept = apr_pmemdup(cc_gate_cache_pool, c, need);
        kept->spans = (cc_gate_span_t *)((char *)kept + CC_GATE_HEAD);
        kept->texts = (char *)(kept->spans + kept->n);
        apr_hash_set(cc_gate_cache, apr_pstrdup(cc_gate_cache_pool, key), APR_HASH_KEY_STRING,
                     kept);
    }
    cc_gate_cache_bytes += need + strlen(key);
    cc_gate_cache_lock(0);
}

static int cc_gate_wanted(const cc_decl_t *d)
{
    return d->gated_mask || (d->gcm && d->gcm->nelts);
}

/* Google Consent Mode's default for this visitor: inline with the response's CSP nonce, else a
 * same-origin script whose URL names the state (cacheable, allowed by script-src 'self'). */
static const char *cc_gate_gcm_tag(request_rec *r, const cc_render_t *rc)
{
    const char *csp = apr_table_get(r->headers_out, "Content-Security-Policy");
    const char *nonce = NULL;

    if (!csp) {
        csp = apr_table_get(r->err_headers_out, "Content-Security-Policy");
    }
    if (csp) {
        nonce = cc_csp_nonce(r->pool, csp, "script-src");
    }
    if (nonce) {
        return apr_pstrcat(r->pool, "<script nonce=\"", cc_html_escape(r->pool, nonce), "\">",
                           cc_gcm_script(r->pool, rc->decl, rc->dec->allowed), "</script>",
                           NULL);
    }
    return apr_psprintf(r->pool, "<script src=\"%s/consent-mode.js?s=%x&amp;v=%s\"></script>",
                        cc_html_escape(r->pool, rc->endpoint),
                        (unsigned)(rc->dec->allowed & rc->decl->optional_mask),
                        rc->decl->fingerprint);
}

/* Why this response is not rewritten, or NULL. Any status with an HTML body: a 404 page with
 * the site's analytics snippet loads it as surely as a 200. Fragments too: htmx and Turbo
 * insert their scripts into the page. */
static const char *cc_gate_skip(request_rec *r, int discovery)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");

    if (!enc) {
        enc = apr_table_get(r->err_headers_out, "Content-Encoding");
    }
    if (r->main) {
        return "subrequest";
    }
    if (!ctx || !ctx->conf->decl || (!discovery && !cc_gate_wanted(ctx->conf->decl))
        || !cc_req_enabled(r)) {
        return "no Block, BlockInline or CookieConsentGoogleConsent here";
    }
    if (apr_table_get(r->notes, CC_NOTE_ENDPOINT)) {
        return "the module's own page";
    }
    if (r->status == HTTP_PARTIAL_CONTENT || r->status == HTTP_NOT_MODIFIED
        || r->status == HTTP_NO_CONTENT) {
        return "no whole body";
    }
    if (!cc_type_is_html(r)) {
        return "not text/html";
    }
    if (!cc_http_charset_ascii(r->content_type)) {
        return "a charset that is not ASCII-compatible";
    }
    if ((enc && strcasecmp(enc, "identity")) || (r->content_encoding
                                                 && strcasecmp(r->content_encoding, "identity"))) {
        return "already encoded";
    }
    return NULL;
}

/* "scheme://host[:port]" of the request, to resolve the page's relative URLs. */
static const char *cc_gate_origin(request_rec *r)
{
    apr_port_t port = ap_get_server_port(r);
    const char *scheme = ap_http_scheme(r);

    if (ap_is_default_port(port, r)) {
        return apr_pstrcat(r->pool, scheme, "://", r->hostname ? r->hostname : "localhost", NULL);
    }
    return apr_pstrcat(r->pool, scheme, "://", r->hostname ? r->hostname : "localhost", ":",
                       apr_itoa(r->pool, (int)port), NULL);
}

/* What both a cache hit and a scan need: the state the edits are made for, the head tag of
 * Google Consent Mode (its nonce, if any, makes the page uncacheable), the headers. */
static cc_gate_ctx *cc_gate_start(ap_filter_t *f)
{
    request_rec *r = f->r;
    cc_gate_ctx *gc = apr_pcalloc(r->pool, sizeof(*gc));

    cc_render_init(r, cc_ctx_get(r), &gc->rc, cc_original_uri(r));
    if (gc->rc.decl->gcm && gc->rc.decl->gcm->nelts) {
        gc->head_tag = cc_gate_gcm_tag(r, &gc->rc);
        gc->nonce_in_head = !strncmp(gc->head_tag, "<script nonce=", 14);
    }
    /* The length is not known before the end, and the bytes depend on the visitor's choice:
     * no length, no validator a cache could reuse for another visitor, a Vary that says so. A
     * Range would slice the rewritten page: the byterange filter (after us) sends it whole. */
    apr_table_unset(r->headers_out, "Content-Length");
    apr_table_unset(r->headers_out, "Content-MD5");
    apr_table_unset(r->headers_out, "ETag");
    apr_table_unset(r->headers_out, "Last-Modified");
    apr_table_unset(r->headers_in, "Range");
    apr_table_unset(r->headers_in, "If-Range");
    cc_banner_vary(r);
    return gc;
}

/* The rewriter, when the page is read (no cached edits for it). */
static void cc_gate_scan_start(ap_filter_t *f, cc_gate_ctx *gc)
{
    request_rec *r = f->r;
    const char *path = cc_original_uri(r), *q;

    if ((q = strchr(path, '?'))) {
        path = apr_pstrmemdup(r->pool, path, (apr_size_t)(q - path));
    }
    gc->gate = cc_gate_create(r->pool, &gc->rc, cc_gate_origin(r), path);
    /* Discovery: on every page whose elements are read anyway, on a sample of the others. */
    if (cc_ctx_get(r)->conf->disc
        && (gc->rc.decl->gated_mask || cc_discover_sample(r, cc_ctx_get(r)->conf))) {
        cc_gate_on_element(gc->gate, cc_discover_element, r);
    }
    if (gc->head_tag) {
        cc_gate_set_head(gc->gate, gc->head_tag);
    }
    gc->held = apr_brigade_create(r->pool, f->c->bucket_alloc);
}

/* Applies the rewriter's new edits to held. */
static apr_status_t cc_gate_apply(ap_filter_t *f, cc_gate_ctx *gc)
{
    apr_array_header_t *edits = cc_gate_edits(gc->gate);
    apr_bucket *from, *to, *b, *next;
    apr_status_t rv;
    int i;

    for (i = 0; i < edits->nelts; i++) {
        const cc_gate_edit_t *e = &APR_ARRAY_IDX(edits, i, cc_gate_edit_t);
        apr_off_t s = e->start - gc->held_start + gc->shift;
        apr_size_t n = strlen(e->text);

        if ((rv = apr_brigade_partition(gc->held, s, &from)) != APR_SUCCESS
            || (rv = apr_brigade_partition(gc->held, s + (e->end - e->start), &to))
               != APR_SUCCESS) {
            return rv;
        }
        for (b = from; b != to; b = next) {
            next = APR_BUCKET_NEXT(b);
            apr_bucket_delete(b);
        }
        APR_BUCKET_INSERT_BEFORE(to, apr_bucket_pool_create(e->text, n, f->r->pool,
                                                             f->c->bucket_alloc));
        gc->shift += (apr_off_t)n - (e->end - e->start);
        gc->edits++;
        if (gc->record) {
            APR_ARRAY_PUSH(gc->record, cc_gate_edit_t) = *e;
        }
    }
    apr_array_clear(edits);
    return APR_SUCCESS;
}

/* The cache key when the response is r->filename's bytes as they are (the default handler's
 * file bucket first, whole in this brigade) and its edits do not depend on the response itself
 * (no CSP nonce), else NULL. */
/* "FILE|INODE|SIZE|MTIME|ALLOWED|LANG|RETURN|DECL" (numbers in hex), without a formatter: a
 * held page asks for it on every request. */
static char *cc_hex64(char *w, apr_uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[16];
    int n = 0;

    do {
        tmp[n++] = hex[v & 0xf];
        v >>= 4;
    } while (v);
    while (n) {
        *w++ = tmp[--n];
    }
    *w++ = '|';
    return w;
}

static const char *cc_gate_key_build(apr_pool_t *p, const char *file, apr_uint64_t inode,
                                     apr_uint64_t size, apr_uint64_t mtime, apr_uint32_t allowed,
                                     const char *lang, const char *ret, apr_uint64_t decl)
{
    apr_size_t fl = strlen(file), ll = strlen(lang), rl = strlen(ret);
    char *key = apr_palloc(p, fl + ll + rl + 5 * 17 + 4), *w = key;

    memcpy(w, file, fl);
    w += fl;
    *w++ = '|';
    w = cc_hex64(w, inode);
    w = cc_hex64(w, size);
    w = cc_hex64(w, mtime);
    w = cc_hex64(w, allowed);
    memcpy(w, lang, ll);
    w += ll;
    *w++ = '|';
    memcpy(w, ret, rl);
    w += rl;
    *w++ = '|';
    w = cc_hex64(w, decl);
    w[-1] = '\0';
    return key;
}

static const char *cc_gate_cache_key(ap_filter_t *f, cc_gate_ctx *gc,
                                     apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    apr_bucket *b = APR_BRIGADE_FIRST(bb);
    const char *name = NULL;

    if (r->finfo.filetype != APR_REG || !r->filename || gc->nonce_in_head) {
        return NULL;
    }
    while (b != APR_BRIGADE_SENTINEL(bb) && APR_BUCKET_IS_METADATA(b)) {
        b = APR_BUCKET_NEXT(b);
    }
    if (b == APR_BRIGADE_SENTINEL(bb) || !APR_BUCKET_IS_FILE(b) || b->start != 0
        || apr_file_name_get(&name, ((apr_bucket_file *)b->data)->fd) != APR_SUCCESS
        || !name || strcmp(name, r->filename)) {
        return NULL;
    }
    gc->file = ((apr_bucket_file *)b->data)->fd;    /* the gaps between edits come from it */
    return cc_gate_key_build(r->pool, r->filename, (apr_uint64_t)r->finfo.inode,
                             (apr_uint64_t)r->finfo.size, (apr_uint64_t)r->finfo.mtime,
                             gc->rc.dec->allowed, gc->rc.lang, gc->rc.return_path,
                             (apr_uint64_t)(apr_uintptr_t)gc->rc.decl);
}

static int cc_gate_has_eos(apr_bucket_brigade *bb)
{
    return !APR_BRIGADE_EMPTY(bb) && APR_BUCKET_IS_EOS(APR_BRIGADE_LAST(bb));
}

/* Moves *b (which starts at byte *pos of bb's data) to the bucket that starts at byte target,
 * splitting the one that spans it; the sentinel when target is the end of the brigade. */
static apr_status_t cc_gate_walk(apr_bucket_brigade *bb, apr_bucket **b, apr_off_t *pos,
                                 apr_off_t target)
{
    apr_status_t rv;

    while (*b != APR_BRIGADE_SENTINEL(bb)) {
        if ((*b)->length == (apr_size_t)-1) {
            return APR_EGENERAL;
        }
        if (*pos == target) {
            return APR_SUCCESS;                 /* as apr_brigade_partition() answers */
        }
        if (target < *pos + (apr_off_t)(*b)->length) {
            if ((rv = apr_bucket_split(*b, (apr_size_t)(target - *pos))) != APR_SUCCESS) {
                return rv;
            }
            *pos = target;
            *b = APR_BUCKET_NEXT(*b);
            return APR_SUCCESS;
        }
        *pos += (apr_off_t)(*b)->length;
        *b = APR_BUCKET_NEXT(*b);
    }
    return *pos == target ? APR_SUCCESS : APR_INCOMPLETE;
}

/* A cache hit: the edits go into the brigade as they are, the file stays a file bucket around
 * them, and the length is known. */
static apr_status_t cc_gate_replay(ap_filter_t *f, apr_bucket_brigade *bb,
                                   const cc_gate_cached *c)
{
    apr_bucket *from, *to, *b, *next, *texts = NULL, *piece;
    apr_off_t shift = 0, pos = 0;
    apr_status_t rv;
    int i;

    /* One pool bucket holds every text; each edit gets a copy of it narrowed to its own (the
     * copies share the data, so one allocation and one pool cleanup for all). */
    if (c->texts_len) {
        texts = apr_bucket_pool_create(c->texts, c->texts_len, f->r->pool, f->c->bucket_alloc);
    }
    /* The edits are in order and do not overlap: one walk from the start, splitting where an
     * edit begins and ends (every bucket of a static file has a known length). */
    b = APR_BRIGADE_FIRST(bb);
    for (i = 0; i < c->n; i++) {
        const cc_gate_span_t *e = &c->spans[i];
        apr_size_t n = e->len;
        if ((rv = cc_gate_walk(bb, &b, &pos, e->start + shift)) != APR_SUCCESS) {
            break;
        }
        from = b;
        if ((rv = cc_gate_walk(bb, &b, &pos, e->end + shift)) != APR_SUCCESS) {
            break;
        }
        to = b;
        for (b = from; b != to; b = next) {
            next = APR_BUCKET_NEXT(b);
            pos -= (apr_off_t)b->length;
            apr_bucket_delete(b);
        }
        if (n) {
            apr_bucket_copy(texts, &piece);
            piece->start += (apr_off_t)e->off;
            piece->length = n;
            APR_BUCKET_INSERT_BEFORE(to, piece);
        }
        pos += (apr_off_t)n;
        b = to;
        shift += (apr_off_t)n - (e->end - e->start);
    }
    if (texts) {
        apr_bucket_destroy(texts);
    }
    if (i < c->n) {
        return rv;
    }
    ap_set_content_length(f->r, f->r->finfo.size + c->delta);
    if (c->held) {
        cc_stat_add(cc_ctx_get(f->r)->conf, CC_STAT_HELD, (apr_uint32_t)c->held);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: %d element(s) held or "
                  "activated, from this child's cache of %s", c->n, f->r->filename);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

/* Passes what can no longer change: held up to the rewriter's hold, all of it when nothing is
 * held, plus a flush when asked. */
static apr_status_t cc_gate_pass(ap_filter_t *f, cc_gate_ctx *gc, int flush)
{
    apr_off_t hold = cc_gate_hold(gc->gate);
    apr_bucket_brigade *rest;
    apr_bucket *after;
    apr_status_t rv;

    if (hold < 0) {
        hold = gc->fed;
    }
    if (hold > gc->held_start) {
        if ((rv = apr_brigade_partition(gc->held, hold - gc->held_start + gc->shift, &after))
            != APR_SUCCESS) {
            return rv;
        }
        rest = after == APR_BRIGADE_SENTINEL(gc->held)
               ? apr_brigade_create(f->r->pool, f->c->bucket_alloc)
               : apr_brigade_split_ex(gc->held, after, NULL);
        if (flush) {
            APR_BRIGADE_INSERT_TAIL(gc->held, apr_bucket_flush_create(f->c->bucket_alloc));
        }
        rv = ap_pass_brigade(f->next, gc->held);
        apr_brigade_cleanup(gc->held);
        APR_BRIGADE_CONCAT(gc->held, rest);
        apr_brigade_destroy(rest);
        gc->held_start = hold;
        gc->shift = 0;
        return rv;
    }
    return APR_SUCCESS;
}

static void cc_gate_done(ap_filter_t *f, cc_gate_ctx *gc)
{
    if (cc_gate_held(gc->gate)) {
        cc_stat_add(cc_ctx_get(f->r)->conf, CC_STAT_HELD, (apr_uint32_t)cc_gate_held(gc->gate));
    }
    if (cc_gate_overlong(gc->gate)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, f->r, "cookieconsent: %d element(s) of %s "
                      "left as written: a start tag over %d bytes or an inline script over %d "
                      "bytes is not read to the end", cc_gate_overlong(gc->gate),
                      cc_original_uri(f->r), CC_GATE_TAG_MAX, CC_GATE_INLINE_MAX);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: %d element(s) held or "
                  "activated in %" APR_OFF_T_FMT " bytes", gc->edits, gc->fed);
}

static apr_status_t cc_gate_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    cc_gate_ctx *gc = f->ctx;
    apr_bucket *b;
    const char *data, *why;
    apr_size_t len;
    apr_status_t rv;

    if (APR_BRIGADE_EMPTY(bb)) {
        return APR_SUCCESS;
    }
    if (!gc) {
        if ((why = cc_gate_skip(f->r, 0)) != NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, f->r, "cookieconsent: nothing held: %s",
                          why);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        f->ctx = gc = cc_gate_start(f);
        gc->cache_key = cc_gate_cache_key(f, gc, bb);
        apr_table_setn(f->r->notes, CC_NOTE_GATE, gc->cache_key ? gc->cache_key : "");
        if (gc->cache_key) {
            cc_gate_cached *hit = cc_gate_cache_get(f->r->pool, gc->cache_key);
            if (hit && cc_gate_has_eos(bb)) {
                return cc_gate_replay(f, bb, hit);
            }
            gc->record = apr_array_make(f->r->pool, 4, sizeof(cc_gate_edit_t));
        }
        cc_gate_scan_start(f, gc);
    }
    while (!APR_BRIGADE_EMPTY(bb)) {
        b = APR_BRIGADE_FIRST(bb);
        if (APR_BUCKET_IS_EOS(b)) {
            cc_gate_end(gc->gate);
            if ((rv = cc_gate_apply(f, gc)) != APR_SUCCESS) {
                return rv;
            }
            APR_BRIGADE_CONCAT(gc->held, bb);
            cc_gate_done(f, gc);
            if (gc->record && gc->fed == f->r->finfo.size) {
                cc_gate_cache_put(f->r, gc->cache_key, gc->record, cc_gate_held(gc->gate),
                                  gc->file);
            }
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, gc->held);
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(gc->held, b);
            if (APR_BUCKET_IS_FLUSH(b) && (rv = cc_gate_pass(f, gc, 0)) != APR_SUCCESS) {
                return rv;
            }
            continue;
        }
        rv = apr_bucket_read(b, &data, &len, APR_NONBLOCK_READ);
        if (APR_STATUS_IS_EAGAIN(rv)) {
            /* The application has nothing more yet: what can go, goes now. */
            if ((rv = cc_gate_pass(f, gc, 1)) != APR_SUCCESS) {
                return rv;
            }
            rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
        }
        if (rv != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, f->r, "cookieconsent: reading the response");
            return rv;
        }
        APR_BUCKET_REMOVE(b);
        APR_BRIGADE_INSERT_TAIL(gc->held, b);
        cc_gate_feed(gc->gate, data, len);
        gc->fed += (apr_off_t)len;
        if ((rv = cc_gate_apply(f, gc)) != APR_SUCCESS) {
            return rv;
        }
        if (cc_gate_finished(gc->gate)) {
            /* Only Consent Mode here, and it is in: the rest goes as it is. */
            APR_BRIGADE_CONCAT(gc->held, bb);
            cc_gate_done(f, gc);
            if (gc->record) {
                cc_gate_cache_put(f->r, gc->cache_key, gc->record, cc_gate_held(gc->gate),
                                  gc->file);
            }
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, gc->held);
        }
    }
    if ((rv = cc_gate_pass(f, gc, 0)) != APR_SUCCESS) {
        return rv;
    }
    /* What stays (a tag being read) outlives this call: transient buckets (mod_proxy's) must
     * own their bytes. */
    for (b = APR_BRIGADE_FIRST(gc->held); b != APR_BRIGADE_SENTINEL(gc->held);
         b = APR_BUCKET_NEXT(b)) {
        if ((rv = apr_bucket_setaside(b, f->r->pool)) != APR_SUCCESS && rv != APR_ENOTIMPL) {
            return rv;
        }
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------------------------------ */
/* Discovery on sites the gate does not rewrite: a sample of HTML responses (at most one per
 * child every CC_DISC_SAMPLE_EVERY seconds, cc_discover_sample) is read as it goes by, unchanged, up to
 * CC_DISC_SCAN_MAX bytes, for its third-party scripts, iframes and pixels. */

#define CC_DISC_SCAN_MAX (256 * 1024)

static ap_filter_rec_t *cc_disc_handle;

typedef struct {
    cc_gate_t *gate;
    cc_render_t rc;
    apr_off_t fed;
} cc_disc_scan_ctx;

static apr_status_t cc_disc_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    cc_disc_scan_ctx *sc = f->ctx;
    request_rec *r = f->r;
    apr_bucket *b;
    const char *data, *path, *q;
    apr_size_t len;

    if (APR_BRIGADE_EMPTY(bb)) {
        return APR_SUCCESS;
    }
    if (!sc) {
        if (cc_gate_skip(r, 1) || !cc_discover_sample(r, cc_ctx_get(r)->conf)) {
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        f->ctx = sc = apr_pcalloc(r->pool, sizeof(*sc));
        path = cc_original_uri(r);
        cc_render_init(r, cc_ctx_get(r), &sc->rc, path);
        if ((q = strchr(path, '?'))) {
            path = apr_pstrmemdup(r->pool, path, (apr_size_t)(q - path));
        }
        sc->gate = cc_gate_create(r->pool, &sc->rc, cc_gate_origin(r), path);
        cc_gate_on_element(sc->gate, cc_discover_element, r);
    }
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb); b = APR_BUCKET_NEXT(b)) {
        if (APR_BUCKET_IS_EOS(b) || sc->fed > CC_DISC_SCAN_MAX) {
            ap_remove_output_filter(f);
            break;
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            continue;
        }
        if (apr_bucket_read(b, &data, &len, APR_NONBLOCK_READ) != APR_SUCCESS) {
            ap_remove_output_filter(f);     /* the rest as it comes: this is only a sample */
            break;
        }
        cc_gate_feed(sc->gate, data, len);
        apr_array_clear(cc_gate_edits(sc->gate));
        sc->fed += (apr_off_t)len;
    }
    return ap_pass_brigade(f->next, bb);
}

static void cc_gate_insert(request_rec *r)
{
    const cc_req_ctx *ctx = cc_ctx_get(r);

    if (r->main || !ctx || !ctx->conf->decl || cc_static_not_html(r)) {
        return;
    }
    if (cc_gate_wanted(ctx->conf->decl)) {
        ap_add_output_filter_handle(cc_gate_handle, NULL, r, r->connection);
    }
    else if (cc_discover_sample_due(r, ctx->conf)) {
        ap_add_output_filter_handle(cc_disc_handle, NULL, r, r->connection);
    }
}

void cc_gate_register(void)
{
    /* before COOKIECONSENT_BANNER's (LAST): the rewriter comes first in the chain */
    ap_hook_insert_filter(cc_gate_insert, NULL, NULL, APR_HOOK_LAST - 1);
    ap_hook_child_init(cc_gate_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    cc_gate_handle = ap_register_output_filter(CC_GATE_FILTER, cc_gate_filter, NULL,
                                               AP_FTYPE_RESOURCE);
    cc_disc_handle = ap_register_output_filter(CC_DISCOVER_FILTER, cc_disc_filter, NULL,
                                               AP_FTYPE_RESOURCE);
}

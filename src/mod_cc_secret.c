/* mod_cc_secret.c - the keys that sign consent values: CookieConsentSecretFile, or a key
 * generated on the first start under the ServerRoot. Read in check_config, in the parent and
 * before httpd switches to its User, on every start and restart (rotation is a graceful restart).
 * A file that cannot be trusted stops apachectl -t. */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_core.h"

#include "apr_file_info.h"
#include "apr_file_io.h"
#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"
#include "apr_thread_proc.h"
#include "apr_user.h"

#include <errno.h>
#include <unistd.h>

#include "cc_consent.h"
#include "cc_mac.h"
#include "mod_cc.h"

APLOG_USE_MODULE(cookieconsent);

#define CC_SECRET_DIR "cookieconsent"           /* under the ServerRoot */
#define CC_SECRET_NAME "secret"
#define CC_SECRET_MAX_SIZE (64 * 1024)
#define CC_SECRET_NOTE "cookieconsent-generated-key"   /* process pool: the key just made */

/* A loaded file, shared by the servers that name it. */
typedef struct {
    apr_array_header_t *keys;
} cc_secret_t;

/* "PROBLEM" or NULL after checking that path is a regular file that only its owner, the user
 * httpd starts as, can read or write; *text gets its content. */
static const char *cc_secret_load(apr_pool_t *p, const char *path, const char **text,
                                  apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_uid_t uid;
    apr_gid_t gid;
    apr_status_t rv;
    char *buf, *name;
    apr_size_t n;

    if ((rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, APR_OS_DEFAULT, p))) {
        return apr_psprintf(p, "cannot be opened: %pm%s", &rv, APR_STATUS_IS_ENOENT(rv)
                            ? apr_psprintf(p, " (make one: umask 077; openssl rand -hex 32 > %s)",
                                           path) : "");
    }
    /* Checked on the open file, not the name: what is read is what was checked. */
    if ((rv = apr_file_info_get(&fi, APR_FINFO_TYPE | APR_FINFO_PROT | APR_FINFO_OWNER
                                | APR_FINFO_SIZE, f))) {
        apr_file_close(f);
        return apr_psprintf(p, "cannot be examined: %pm", &rv);
    }
    if (fi.filetype != APR_REG) {
        apr_file_close(f);
        return "is not a regular file";
    }
    /* Whoever reads the key can grant consent in any visitor's name: only the owner may. */
    if (fi.protection & (APR_FPROT_GREAD | APR_FPROT_GWRITE | APR_FPROT_GEXECUTE
                         | APR_FPROT_WREAD | APR_FPROT_WWRITE | APR_FPROT_WEXECUTE)) {
        apr_file_close(f);
        return apr_psprintf(p, "can be read or written by its group or by others (mode %04x): "
                            "anyone who reads the key can forge consent; chmod 600 %s",
                            /* APR_FPROT_* are laid out as octal digits, in hex */
                            (unsigned)(fi.protection & 0x0fff), path);
    }
    if (apr_uid_current(&uid, &gid, p) == APR_SUCCESS && fi.user != uid) {
        apr_file_close(f);
        if (apr_uid_name_get(&name, uid, p) != APR_SUCCESS) {
            name = apr_psprintf(p, "uid %lu", (unsigned long)uid);
        }
        return apr_psprintf(p, "is owned by uid %lu, not by %s, the user httpd starts as "
                            "(children run as User and must not be able to read it): chown %s %s",
                            (unsigned long)fi.user, name, name, path);
    }
    if (fi.size > CC_SECRET_MAX_SIZE) {
        apr_file_close(f);
        return apr_psprintf(p, "is %" APR_OFF_T_FMT " bytes: a file of keys is a few lines",
                            fi.size);
    }
    n = (apr_size_t)fi.size;
    buf = apr_palloc(p, n + 1);
    rv = n ? apr_file_read_full(f, buf, n, &n) : APR_SUCCESS;
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot be read: %pm", &rv);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return NULL;
}

/* Reads path into *keys; on a problem logs it (naming the directive's place, or saying that the
 * generated key is meant) and returns !OK. */
static int cc_secret_read(apr_pool_t *pconf, apr_pool_t *ptemp, const char *path,
                          const char *where, apr_array_header_t **keys)
{
    const char *text = NULL, *err, *problem;
    apr_size_t len = 0;
    int line = 0;

    if ((err = cc_secret_load(ptemp, path, &text, &len))) {
        problem = apr_pstrcat(ptemp, path, " ", err, NULL);
    }
    else {
        err = cc_mac_keys_parse(pconf, text, len, keys, &line);
        /* the text is in ptemp: do not leave the keys there after startup */
        memset((char *)text, 0, len);
        if (!err) {
            return OK;
        }
        problem = line ? apr_psprintf(ptemp, "%s:%d: %s", path, line, err)
                       : apr_psprintf(ptemp, "%s: %s", path, err);
    }
    if (where) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                     "cookieconsent: CookieConsentSecretFile (%s): %s", where, problem);
    }
    else {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                     "cookieconsent: the generated consent key (no CookieConsentSecretFile): %s",
                     problem);
    }
    return !OK;
}

/* The first start without CookieConsentSecretFile: a new key, written to a temporary file and
 * linked into place, so that two servers starting at once never read half a file (the second
 * link fails and its server reads the first one's key). */
static const char *cc_secret_create(apr_pool_t *p, const char *path)
{
    const char *dir = ap_server_root_relative(p, CC_SECRET_DIR);
    const char *tmp = apr_psprintf(p, "%s.%" APR_PID_T_FMT ".tmp", path, getpid());
    const char *line = cc_mac_key_generate(p);
    apr_file_t *f;
    apr_status_t rv;
    apr_size_t n;

    if (!line) {
        return "no random bytes from OpenSSL for a key";
    }
    rv = apr_dir_make(dir, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_UEXECUTE, p);
    if (rv != APR_SUCCESS && !APR_STATUS_IS_EEXIST(rv)) {
        return apr_psprintf(p, "the directory %s cannot be created: %pm (or set "
                            "CookieConsentSecretFile)", dir, &rv);
    }
    rv = apr_file_open(&f, tmp, APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_EXCL,
                       APR_FPROT_UREAD | APR_FPROT_UWRITE, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "%s cannot be created: %pm (or set CookieConsentSecretFile)", tmp,
                            &rv);
    }
    n = strlen(line);
    rv = apr_file_write_full(f, line, n, &n);
    if (rv == APR_SUCCESS) {
        rv = apr_file_sync(f);
    }
    apr_file_close(f);
    memset((char *)line, 0, strlen(line));
    if (rv == APR_SUCCESS && link(tmp, path) != 0 && errno != EEXIST) {
        rv = APR_FROM_OS_ERROR(errno);
    }
    apr_file_remove(tmp, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "%s cannot be written: %pm (or set CookieConsentSecretFile)",
                            path, &rv);
    }
    return NULL;
}

static int cc_secret_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                  server_rec *s_main)
{
    apr_hash_t *loaded = apr_hash_make(ptemp);
    const char *generated = ap_server_root_relative(ptemp, CC_SECRET_DIR "/" CC_SECRET_NAME);
    int testing = ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST;
    server_rec *s;

    (void)plog;
    for (s = s_main; s; s = s->next) {
        cc_srv_conf *c = cc_srv(s);
        const char *path = c->secret_file ? c->secret_file : generated;
        cc_secret_t *sec;
        apr_finfo_t fi;
        const char *err;

        c->keys = NULL;
        if (!c->decl) {
            continue;                       /* nothing enforced here: no consent cookie */
        }
        if ((sec = apr_hash_get(loaded, path, APR_HASH_KEY_STRING))) {
            c->keys = sec->keys;
            continue;
        }
        if (!c->secret_file
            && apr_stat(&fi, path, APR_FINFO_TYPE, ptemp) != APR_SUCCESS) {
            if (testing) {
                /* apachectl -t changes nothing: the key is made by the start that needs it */
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_NOTICE, 0, NULL,
                             "cookieconsent: no CookieConsentSecretFile: a consent key will be "
                             "generated in %s on start", path);
                sec = apr_pcalloc(ptemp, sizeof(*sec));
                apr_hash_set(loaded, path, APR_HASH_KEY_STRING, sec);
                continue;
            }
            if ((err = cc_secret_create(ptemp, path))) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                             "cookieconsent: the generated consent key (no "
                             "CookieConsentSecretFile): %s", err);
                return !OK;
            }
            /* said in post_config: the error log is not open yet on the first reading */
            apr_pool_userdata_set(apr_pstrdup(s_main->process->pool, path), CC_SECRET_NOTE,
                                  NULL, s_main->process->pool);
        }
        sec = apr_pcalloc(pconf, sizeof(*sec));
        if (cc_secret_read(pconf, ptemp, path, c->secret_file ? c->secret_where : NULL,
                           &sec->keys) != OK) {
            return !OK;
        }
        apr_hash_set(loaded, apr_pstrdup(pconf, path), APR_HASH_KEY_STRING, sec);
        c->keys = sec->keys;
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, "cookieconsent: %d consent key(s) from %s "
                     "(the first signs)", sec->keys->nelts, path);
    }
    return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Per child, the consent values whose MAC was found good: a returning visitor's cookie costs one
 * hash lookup instead of an HMAC on every request. Keyed by the key list (its address: one per
 * server record and generation), the site and the whole value; at most CC_MEMO_ENTRIES values
 * or CC_MEMO_BYTES bytes, then it starts over. A new generation (graceful restart, key rotation)
 * has new children, so a memo never outlives the keys it vouches for. */

#define CC_MEMO_ENTRIES 4096
#define CC_MEMO_BYTES (1024 * 1024)

static apr_pool_t *cc_memo_pool;
static apr_hash_t *cc_memo;
static apr_size_t cc_memo_bytes;
#if APR_HAS_THREADS
static apr_thread_mutex_t *cc_memo_mutex;
#endif

/* A key ends with the value's MAC: 128 bits the sender cannot choose for a value that gets
 * in (only verified values are stored), so its last 16 bytes spread the keys as well as all of
 * them would, for a fraction of the cost of APR's byte-wise hash. */
static unsigned int cc_memo_hash(const char *key, apr_ssize_t *klen)
{
    apr_size_t n = (apr_size_t)*klen, take = n < 16 ? n : 16;
    apr_uint64_t a = 0, b = 0, h;
    char tail[16] = {0};

    memcpy(tail, key + n - take, take);
    memcpy(&a, tail, 8);
    memcpy(&b, tail + 8, 8);
    h = (a ^ (b * 0x9e3779b97f4a7c15ULL) ^ n) * 0x100000001b3ULL;
    return (unsigned int)(h ^ (h >> 32));
}

static apr_hash_t *cc_memo_make(void)
{
    return apr_hash_make_custom(cc_memo_pool, cc_memo_hash);
}

static void cc_memo_lock(int lock)
{
#if APR_HAS_THREADS
    if (cc_memo_mutex) {
        (lock ? apr_thread_mutex_lock : apr_thread_mutex_unlock)(cc_memo_mutex);
    }
#else
    (void)lock;
#endif
}

/* "KEYS-ADDRESS SITE \n VALUE" in buf (at most cap bytes), its length, or 0 when too long. */
static apr_size_t cc_memo_key(const cc_mac_signer_t *sig, const char *value, apr_size_t len,
                              char *buf, apr_size_t cap)
{
    const void *keys = sig->keys;
    apr_size_t sl = strlen(sig->site ? sig->site : "");

    if (sizeof(keys) + sl + 1 + len > cap) {
        return 0;
    }
    memcpy(buf, &keys, sizeof(keys));
    memcpy(buf + sizeof(keys), sig->site ? sig->site : "", sl);
    buf[sizeof(keys) + sl] = '\n';
    memcpy(buf + sizeof(keys) + sl + 1, value, len);
    return sizeof(keys) + sl + 1 + len;
}

static int cc_memo_seen(const cc_mac_signer_t *sig, const char *value, apr_size_t len)
{
    char key[CC_CONSENT_MAX_LEN + 512];
    apr_size_t n = cc_memo_key(sig, value, len, key, sizeof(key));
    int seen;

    if (!n || !cc_memo) {
        return 0;
    }
    cc_memo_lock(1);
    seen = apr_hash_get(cc_memo, key, (apr_ssize_t)n) != NULL;
    cc_memo_lock(0);
    return seen;
}

static void cc_memo_verified(const cc_mac_signer_t *sig, const char *value, apr_size_t len)
{
    char key[CC_CONSENT_MAX_LEN + 512];
    apr_size_t n = cc_memo_key(sig, value, len, key, sizeof(key));

    if (!n || !cc_memo) {
        return;
    }
    cc_memo_lock(1);
    if (apr_hash_count(cc_memo) >= CC_MEMO_ENTRIES || cc_memo_bytes + n > CC_MEMO_BYTES) {
        apr_pool_clear(cc_memo_pool);
        cc_memo = cc_memo_make();
        cc_memo_bytes = 0;
    }
    apr_hash_set(cc_memo, apr_pmemdup(cc_memo_pool, key, n), (apr_ssize_t)n, "");
    cc_memo_bytes += n;
    cc_memo_lock(0);
}

static const cc_mac_memo_t cc_memo_fns = {cc_memo_seen, cc_memo_verified};

static void cc_memo_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    apr_pool_create(&cc_memo_pool, pchild);
    cc_memo = cc_memo_make();
    cc_memo_bytes = 0;
#if APR_HAS_THREADS
    apr_thread_mutex_create(&cc_memo_mutex, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

void cc_signer(const request_rec *r, const cc_srv_conf *c, cc_mac_signer_t *out)
{
    out->keys = c->keys;
    /* The ServerName of the virtual host that serves r (an alias is the same site), never the
     * Host header the client chose. */
    out->site = r->server->server_hostname ? r->server->server_hostname : "";
    out->memo = &cc_memo_fns;
}

static int cc_secret_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    void *made = NULL;

    (void)pconf, (void)plog, (void)ptemp;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;                          /* the first reading: logs are not open */
    }
    apr_pool_userdata_get(&made, CC_SECRET_NOTE, s->process->pool);
    if (made) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "cookieconsent: no CookieConsentSecretFile: "
                     "generated a consent key in %s (servers that share visitors need the same "
                     "key: see CookieConsentSecretFile)", (const char *)made);
        apr_pool_userdata_set(NULL, CC_SECRET_NOTE, NULL, s->process->pool);
    }
    return OK;
}

void cc_secret_register(void)
{
    /* after cc_check_config (MIDDLE), which builds the declarations this needs */
    ap_hook_check_config(cc_secret_check_config, NULL, NULL, APR_HOOK_MIDDLE + 1);
    ap_hook_post_config(cc_secret_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(cc_memo_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

/*
 * asan_pool_shim.c - an LD_PRELOAD shim for the sanitizer run of the integration suite
 * (run-sanitized.sh), loaded after libasan.
 *
 * APR pools carve allocations out of large blocks, so AddressSanitizer cannot see a write past
 * the end of one apr_palloc() result into the next one, nor a read of pool memory after the
 * pool was cleared. With this shim every apr_palloc()/apr_pcalloc() (also the ones libapr and
 * libaprutil make internally: apr_pstrdup, tables, arrays, brigades...) is its own malloc(),
 * freed by a cleanup of the pool, so each allocation gets ASan redzones and the module's
 * (instrumented) accesses are checked against them. httpd and APR are not instrumented: only
 * the module's accesses are checked. apr_psprintf() still writes into the pool block itself.
 * Build: gcc -shared -fPIC $(apr-1-config --includes) -o asan_pool_shim.so asan_pool_shim.c -ldl
 * (the ASAN_*_MEMORY_REGION macros are no-ops unless -fsanitize=address: run-sanitized.sh uses it).
 * The ASan build of the unit tests (make -f Makefile.apxs unit-asan) links it in, for the same
 * reason: the core's pool allocations are then checked one by one.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <apr_pools.h>
#include <sanitizer/asan_interface.h>

#undef apr_pcalloc

static void *(*real_palloc)(apr_pool_t *, apr_size_t);
static __thread int in_shim;

/* What a pool cleanup cannot free at once: APR itself reads some pool memory after running the
 * cleanups (apr_pool_destroy() waits for the subprocesses noted in the pool, whose apr_proc_t
 * came from apr_palloc), and httpd is not instrumented. So a cleared allocation is poisoned
 * (the module touching it is reported, as a use after poison), kept, and freed only when it is
 * the oldest of the last RING_SIZE ones. */
#define RING_SIZE (1 << 20)

typedef struct {
    void *mem;
    apr_size_t size;
} shim_block;

static shim_block *ring;
static size_t ring_next;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;

static apr_status_t shim_release(void *data)
{
    shim_block *b = data, old = {NULL, 0};

    ASAN_POISON_MEMORY_REGION(b->mem, b->size);
    pthread_mutex_lock(&ring_lock);
    if (!ring) {
        ring = calloc(RING_SIZE, sizeof(*ring));
    }
    if (ring) {
        old = ring[ring_next];
        ring[ring_next] = *b;
        ring_next = (ring_next + 1) % RING_SIZE;
    }
    pthread_mutex_unlock(&ring_lock);
    if (old.mem) {
        ASAN_UNPOISON_MEMORY_REGION(old.mem, old.size);
        free(old.mem);
    }
    return APR_SUCCESS;
}

APR_DECLARE(void *) apr_palloc(apr_pool_t *pool, apr_size_t size)
{
    void *mem;
    shim_block *b;

    if (!real_palloc) {
        real_palloc = (void *(*)(apr_pool_t *, apr_size_t))dlsym(RTLD_NEXT, "apr_palloc");
    }
    if (in_shim) {
        /* apr_pool_cleanup_register() allocates its record from the pool */
        return real_palloc(pool, size);
    }
    mem = malloc(size ? size : 1);
    if (!mem) {
        return real_palloc(pool, size);
    }
    in_shim = 1;
    b = real_palloc(pool, sizeof(*b));
    b->mem = mem;
    b->size = size ? size : 1;
    apr_pool_cleanup_register(pool, b, shim_release, apr_pool_cleanup_null);
    in_shim = 0;
    return mem;
}

APR_DECLARE(void *) apr_pcalloc(apr_pool_t *pool, apr_size_t size)
{
    void *mem = apr_palloc(pool, size);

    if (mem) {
        memset(mem, 0, size);
    }
    return mem;
}

/* failmalloc.c: an LD_PRELOAD shim that fails the Nth malloc, calloc, realloc
 * or aligned allocation of the whole process (SQLite, ICU, libcsv, json-c,
 * gettext and libc included), for tests/fault/shim.sh: with
 * INCENT_FAIL_MALLOC=N that one returns NULL (with errno ENOMEM); with
 * INCENT_FAIL_MALLOC=count none fails and "failmalloc: K allocations" is
 * written to standard error at exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's own entry points: no dlsym, which would itself allocate */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_long calls;
static long fail_at = -2; /* -2: not read yet; -1: count; 0: off */

static void report(void) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "failmalloc: %ld allocations\n", (long)atomic_load(&calls));
  if (write(2, buf, (size_t)n) < 0) return;
}

static int fail(void) {
  if (fail_at == -2) { /* getenv does not allocate */
    const char *v = getenv("INCENT_FAIL_MALLOC");
    long at = !v || !*v ? 0 : strcmp(v, "count") == 0 ? -1 : strtol(v, NULL, 10);
    if (at == -1) atexit(report);
    fail_at = at;
  }
  if (fail_at == 0) return 0;
  long n = atomic_fetch_add(&calls, 1) + 1;
  if (n != fail_at) return 0;
  errno = ENOMEM;
  return 1;
}

void *malloc(size_t n) { return fail() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return fail() ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return fail() ? NULL : __libc_realloc(p, n); }
void *memalign(size_t align, size_t n) { return fail() ? NULL : __libc_memalign(align, n); }
void *aligned_alloc(size_t align, size_t n) { return fail() ? NULL : __libc_memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
  if (fail()) return ENOMEM;
  void *p = __libc_memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

/* util.c: reasons, growing arrays, and the one allocator of incent's own code with its fault-injection hook. */
#include "config.h"
#include "runtime/util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rt_fail(char *why, size_t whylen, const char *fmt, ...) {
  if (why && whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
  }
  return false;
}

bool rt_grow(void **arr, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return true;
  size_t c = *cap ? *cap * 2 : 16;
  while (c < need) c *= 2;
  if (size && c > SIZE_MAX / size) return false;
  void *bigger = rt_realloc(*arr, c * size);
  if (!bigger) return false;
  *arr = bigger;
  *cap = c;
  return true;
}

/* ---- allocation, and failing the Nth on purpose ----
 * The model is SQLite's test_malloc: with INCENT_FAIL_ALLOC=N in the
 * environment, the Nth allocation made through these functions fails (and
 * only that one), so that a test can walk N over every allocation of a
 * command; with INCENT_FAIL_ALLOC=count, nothing fails and the number of
 * allocations is written to standard error at exit, which tells the test
 * where to stop.  Without the variable the cost is one predictable branch.
 * The compiler and the runtime library each hold a copy of this file, so
 * each counts its own allocations: a given N fails at most one allocation
 * in each. */
static long fail_at;          /* 0: off; -1: count only */
static atomic_long allocations;
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;

static void report_count(void) {
  fprintf(stderr, "incent: %ld allocations\n", (long)atomic_load(&allocations));
}

static void fault_init(void) {
  const char *v = getenv("INCENT_FAIL_ALLOC");
  if (!v || !*v) return;
  if (strcmp(v, "count") == 0) {
    fail_at = -1;
    atexit(report_count);
  } else {
    fail_at = strtol(v, NULL, 10);
  }
}

static bool fault(void) {
  pthread_once(&fault_once, fault_init);
  if (fail_at == 0) return false;
  long n = atomic_fetch_add(&allocations, 1) + 1;
  return n == fail_at;
}

void *rt_malloc(size_t n) { return fault() ? NULL : malloc(n ? n : 1); }
void *rt_calloc(size_t n, size_t size) { return fault() ? NULL : calloc(n ? n : 1, size ? size : 1); }
void *rt_realloc(void *p, size_t n) { return fault() ? NULL : realloc(p, n ? n : 1); }

char *rt_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = rt_malloc(n);
  return c ? memcpy(c, s, n) : NULL;
}

char *rt_strndup(const char *s, size_t max) {
  size_t n = strnlen(s, max);
  char *c = rt_malloc(n + 1);
  if (!c) return NULL;
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* util.c: reasons, growing arrays, and the one allocator of incent's own code with its fault-injection hook. */
#include "config.h"
#include "runtime/base/util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
 *
 * The compiler and the runtime library each hold a copy of this file.  So
 * that N numbers the allocations of the whole process, the first copy to
 * start publishes the address of its counter in the environment (with the
 * process id, so that a child never follows it) and the other copy counts
 * there too; the count is then reported once.
 *
 * Every allocation that fails, on purpose or not, is counted per copy
 * (rt_alloc_failures), so that a phase can tell that it lost one however
 * deep down it happened, and never report a result built without it. */
#define SHARED_VAR "INCENT_FAIL_ALLOC_COUNTER"

static long fail_at;          /* 0: off; -1: count only */
static atomic_long own_allocations;
static atomic_long *allocations = &own_allocations;
static atomic_long failures;
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;

static void report_count(void) {
  fprintf(stderr, "incent: %ld allocations\n", (long)atomic_load(allocations));
}

static void fault_init(void) {
  const char *v = getenv("INCENT_FAIL_ALLOC");
  if (!v || !*v) return;
  fail_at = strcmp(v, "count") == 0 ? -1 : strtol(v, NULL, 10);
  if (fail_at == 0) return;
  /* started before any thread: the other copy, if it started, published here */
  const char *shared = getenv(SHARED_VAR);
  long pid;
  void *addr;
  if (shared && sscanf(shared, "%ld:%p", &pid, &addr) == 2 && pid == (long)getpid() && addr) {
    allocations = addr;
    return;
  }
  char buf[64];
  snprintf(buf, sizeof buf, "%ld:%p", (long)getpid(), (void *)&own_allocations);
  setenv(SHARED_VAR, buf, 1);
  if (fail_at < 0) atexit(report_count);
}

static bool fault(void) {
  pthread_once(&fault_once, fault_init);
  if (fail_at == 0) return false;
  long n = atomic_fetch_add(allocations, 1) + 1;
  return n == fail_at;
}

static void *counted(void *p) {
  if (!p) atomic_fetch_add(&failures, 1);
  return p;
}

long rt_alloc_failures(void) { return atomic_load(&failures); }
void rt_alloc_lost(void) { atomic_fetch_add(&failures, 1); }

void *rt_malloc(size_t n) { return counted(fault() ? NULL : malloc(n ? n : 1)); }
void *rt_calloc(size_t n, size_t size) { return counted(fault() ? NULL : calloc(n ? n : 1, size ? size : 1)); }
void *rt_realloc(void *p, size_t n) { return counted(fault() ? NULL : realloc(p, n ? n : 1)); }

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

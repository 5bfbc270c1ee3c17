/* util.h: what every module needs: a reason for a caller's buffer, arrays
 * that grow, and the one allocator (internal to libincent and the compiler). */
#ifndef INCENT_UTIL_H
#define INCENT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the reason into why (when why is not NULL) and returns false. */
bool rt_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Makes *arr (of *cap elements of size bytes) hold at least need elements,
 * doubling; false, with *arr unchanged, when out of memory. */
bool rt_grow(void **arr, size_t *cap, size_t need, size_t size);

/* incent's own allocations all go through these (see util.c for the hook
 * that fails the Nth of them in tests); they are released with free(). */
void *rt_malloc(size_t n);
void *rt_calloc(size_t n, size_t size);
void *rt_realloc(void *p, size_t n);
char *rt_strdup(const char *s);
char *rt_strndup(const char *s, size_t max);
/* How many of these allocations have failed so far in this copy of the
 * allocator (the compiler's or the library's): a phase that reads it before
 * and after knows whether it lost an allocation anywhere below it. */
long rt_alloc_failures(void);
/* Counts an allocation that failed in a library incent calls (ICU says
 * U_MEMORY_ALLOCATION_ERROR), so that the same checks see it. */
void rt_alloc_lost(void);

#endif

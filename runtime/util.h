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

#endif

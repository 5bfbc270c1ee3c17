/* util.h: what every module of the runtime needs: a reason for a caller's
 * buffer, and arrays that grow (internal to libincent). */
#ifndef INCENT_UTIL_H
#define INCENT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the reason into why (when why is not NULL) and returns false. */
bool rt_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Makes *arr (of *cap elements of size bytes) hold at least need elements,
 * doubling; false, with *arr unchanged, when out of memory. */
bool rt_grow(void **arr, size_t *cap, size_t need, size_t size);

#endif

/* util.c: reasons and growing arrays. */
#include "config.h"
#include "runtime/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
  void *bigger = realloc(*arr, c * size);
  if (!bigger) return false;
  *arr = bigger;
  *cap = c;
  return true;
}

/* readfile.c: a whole file read into memory. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/base/readfile.h"

#include <stdlib.h>

read_status read_whole(FILE *f, size_t max, char **data, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = rt_malloc(cap + 1);
  read_status st = buf ? READ_OK : READ_NOMEM;
  while (st == READ_OK) {
    if (n == cap) {
      if (cap >= max) {
        st = READ_TOO_LARGE;
        break;
      }
      char *bigger = rt_realloc(buf, cap * 2 + 1);
      if (!bigger) {
        st = READ_NOMEM;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) st = READ_ERROR;
      break;
    }
  }
  if (st != READ_OK) {
    free(buf);
    return st;
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return READ_OK;
}

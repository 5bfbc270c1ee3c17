/* fuzz_mo.c: libFuzzer target: any bytes as a compiled gettext catalog
 * (.mo), loaded from a file as the runtime loads one, then looked up with
 * every string the input holds as a key, in and out of context, for a
 * range of counts. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/messages/catalog.h"
#include "tests/fuzz/fuzz.h"

static const unsigned long counts[] = {0, 1, 2, 3, 5, 11, 21, 101, 1000001, ULONG_MAX};

/* Looks key up as the runtime does: "ctx\004msgid" split at its \004. */
static void look_up(const catalog *c, char *key) {
  char *eot = strchr(key, '\004');
  const char *ctx = NULL, *msgid = key;
  if (eot) *eot = '\0', ctx = key, msgid = eot + 1;
  size_t len, flen;
  catalog_get(c, ctx, msgid, NULL, 1, &len);
  const char *block = catalog_find(c, ctx, msgid, &len);
  for (size_t i = 0; block && i < sizeof counts / sizeof *counts; i++) {
    catalog_get(c, ctx, msgid, "other", counts[i], &flen);
    catalog_form(c, block, len, true, counts[i], &flen);
  }
  if (eot) *eot = '\004';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[200];
  if (!path[0]) snprintf(path, sizeof path, "%s/fuzz.mo", fuzz_dir());
  if (!fuzz_write(path, data, size)) abort();
  char why[300];
  catalog *c = catalog_load(path, why, sizeof why);
  if (!c) return 0;
  catalog_plural_forms(c);
  /* the strings of a catalog are NUL-terminated within it: each piece of
   * the input between NULs is a key worth trying (the first 64) */
  char *copy = malloc(size + 1);
  if (!copy) abort();
  memcpy(copy, data, size);
  copy[size] = '\0';
  char *p = copy, *end = copy + size;
  for (int k = 0; k < 64 && p <= end; k++) {
    look_up(c, p);
    p += strlen(p) + 1;
  }
  look_up(c, (char[]){"not\004in the catalog"});
  free(copy);
  catalog_free(c);
  return 0;
}

/* fuzz_plural.c: libFuzzer target: any bytes as the value of a Plural-Forms
 * header, parsed and, when it reads, evaluated for small and huge counts;
 * a form is always a number, whatever the expression divides by. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/messages/plural.h"
#include "tests/fuzz/fuzz.h"

static const unsigned long big[] = {1000, 1001, 10000, 65535, 65536, 1000001, 2147483647ul, 2147483648ul,
                                    4294967295ul, 4294967296ul, LONG_MAX, ULONG_MAX - 1, ULONG_MAX};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *forms = malloc(size + 1);
  if (!forms) abort();
  memcpy(forms, data, size);
  forms[size] = '\0';
  plural_expr *e;
  unsigned long nplurals;
  char why[200];
  if (plural_parse(forms, &e, &nplurals, why, sizeof why)) {
    if (nplurals < 1 || nplurals > 100) abort();
    for (unsigned long n = 0; n <= 200; n++) plural_eval(e, n);
    for (size_t i = 0; i < sizeof big / sizeof *big; i++) plural_eval(e, big[i]);
    plural_free(e);
  } else if (e) {
    abort(); /* a refused expression leaves nothing to free */
  }
  free(forms);
  return 0;
}

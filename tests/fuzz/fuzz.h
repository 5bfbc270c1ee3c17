/* fuzz.h: what the fuzz targets share. */
#ifndef INCENT_FUZZ_H
#define INCENT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* A writer that throws the text away: the targets exercise the dump, not its output. */
static inline void fuzz_discard(void *ud, const char *text, size_t len) {
  (void)ud;
  (void)text;
  (void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif

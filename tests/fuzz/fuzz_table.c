/* fuzz_table.c: libFuzzer target: any bytes as a rule table.  The header's
 * size and hash are set to match the input first, so that the fuzzer reaches
 * the loader's structural checks instead of stopping at the hash. */
#include "config.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incent.h"
#include "tests/fuzz/fuzz.h"
#include "runtime/engine/table_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < IRT_HEADER_SIZE || size > UINT32_MAX) return 0;
  unsigned char *copy = malloc(size);
  if (!copy) return 0;
  memcpy(copy, data, size);
  memcpy(copy, IRT_MAGIC, 8);
  uint32_t total = (uint32_t)size;
  memcpy(copy + 52, &total, 4);
  struct sha256_ctx sha;
  sha256_init(&sha);
  sha256_update(&sha, size - IRT_HEADER_SIZE, copy + IRT_HEADER_SIZE);
  sha256_digest(&sha, SHA256_DIGEST_SIZE, copy + 16);
  incent_table *t;
  if (incent_table_load(copy, size, &t, NULL, 0) == INCENT_OK) {
    incent_table_dump(t, fuzz_discard, NULL);
    incent_table_free(t);
  }
  free(copy);
  return 0;
}

/* strmap.h: a hash map from byte strings to indexes, for name lookups that
 * stay fast on programs with many thousands of names.
 *
 * Ownership: the map copies nothing; keys are borrowed and must outlive it. */
#ifndef INCENT_STRMAP_H
#define INCENT_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strmap_slot {
  const char *key;
  size_t len;
  uint64_t hash;
  uint32_t value;
} strmap_slot;

typedef struct strmap {
  strmap_slot *slots;
  size_t cap, n;
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/* Returns true and the value if present. */
bool strmap_get(const strmap *m, const char *key, size_t len, uint32_t *value);
/* Adds key if absent (returns true) or leaves the existing entry and returns
 * false with its value in *existing.  Returns false with *existing =
 * UINT32_MAX when out of memory. */
bool strmap_put(strmap *m, const char *key, size_t len, uint32_t value, uint32_t *existing);

uint64_t strmap_hash(const char *key, size_t len);

#endif

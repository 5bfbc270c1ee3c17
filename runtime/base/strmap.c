/* strmap.c: open addressing with linear probing over FNV-1a hashes. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/base/strmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t strmap_hash(const char *key, size_t len) {
  uint64_t h = 14695981039346656037ULL;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)key[i];
    h *= 1099511628211ULL;
  }
  return h;
}

void strmap_init(strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(strmap *m) {
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static strmap_slot *find(const strmap *m, const char *key, size_t len, uint64_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    strmap_slot *s = &m->slots[i];
    if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)) return s;
  }
}

bool strmap_get(const strmap *m, const char *key, size_t len, uint32_t *value) {
  if (!m->cap) return false;
  strmap_slot *s = find(m, key, len, strmap_hash(key, len));
  if (!s->key) return false;
  *value = s->value;
  return true;
}

static bool grow(strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 16;
  strmap_slot *slots = rt_calloc(cap, sizeof *slots);
  if (!slots) return false;
  strmap old = *m;
  m->slots = slots;
  m->cap = cap;
  for (size_t i = 0; i < old.cap; i++)
    if (old.slots[i].key) *find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
  free(old.slots);
  return true;
}

bool strmap_put(strmap *m, const char *key, size_t len, uint32_t value, uint32_t *existing) {
  if ((m->n + 1) * 4 > m->cap * 3 && !grow(m)) {
    *existing = UINT32_MAX;
    return false;
  }
  uint64_t h = strmap_hash(key, len);
  strmap_slot *s = find(m, key, len, h);
  if (s->key) {
    *existing = s->value;
    return false;
  }
  *s = (strmap_slot){key, len, h, value};
  m->n++;
  return true;
}

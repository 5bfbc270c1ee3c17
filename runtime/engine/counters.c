/* counters.c: the engine's counters (limits, caps, budgets, tier points and
 * account totals) in one open-addressing hash table. */
#include "config.h"

#include <stdlib.h>

#include "runtime/engine/counters.h"
#include "runtime/base/util.h"

/* MurmurHash3's 64-bit finalizer: every input bit reaches the low bits the table uses. */
static uint64_t fmix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

static uint64_t key_hash(const counter_key *k) {
  return fmix((uint64_t)k->period ^ fmix(((uint64_t)(uint32_t)k->partner << 32 | k->rule) ^ ((uint64_t)k->kind << 56)));
}

static bool key_eq(const counter_key *a, const counter_key *b) {
  return a->period == b->period && a->partner == b->partner && a->rule == b->rule && a->kind == b->kind;
}

static counter *counter_slot(counters *m, const counter_key *k) {
  size_t mask = m->cap - 1;
  for (size_t i = key_hash(k) & mask;; i = (i + 1) & mask)
    if (!m->slots[i].used || key_eq(&m->slots[i].key, k)) return &m->slots[i];
}

/* The counter for k, created at 0; NULL when out of memory. */
counter *rt_counter_get(counters *m, const counter_key *k) {
  if ((m->n + 1) * 2 > m->cap) { /* at most half full: linear probing stays short */
    size_t cap = m->cap ? m->cap * 2 : 256;
    counter *slots = rt_calloc(cap, sizeof *slots);
    if (!slots) return NULL;
    counters old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
      if (old.slots[i].used) *counter_slot(m, &old.slots[i].key) = old.slots[i];
    free(old.slots);
  }
  counter *c = counter_slot(m, k);
  if (!c->used) {
    if (m->created && !m->created(m->created_ud, k)) return NULL;
    c->used = true;
    c->key = *k;
    c->value = 0;
    m->n++;
  }
  if (m->track && !c->changed) {
    if (!rt_grow((void **)&m->changed, &m->capchanged, m->nchanged + 1, sizeof *m->changed)) return NULL;
    m->changed[m->nchanged++] = *k;
    c->changed = true;
  }
  return c;
}

bool rt_counters_changed(counters *m, bool (*fn)(void *ud, const counter *c), void *ud) {
  for (size_t i = 0; i < m->nchanged; i++) {
    counter *c = counter_slot(m, &m->changed[i]);
    c->changed = false;
    if (!fn(ud, c)) return false;
  }
  m->nchanged = 0;
  return true;
}

void rt_counters_free(counters *m) {
  free(m->slots);
  free(m->changed);
  *m = (counters){0};
}

int64_t rt_counter_value(const counters *m, const counter_key *k) {
  if (!m->cap) return 0;
  counter *c = counter_slot((counters *)m, k);
  return c->used ? c->value : 0;
}

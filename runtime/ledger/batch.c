/* batch.c: rows of a batch of events in memory, and the filter of event ids.
 * A row: its statement (one byte), then values, each a tag byte: 'T' u32
 * length, bytes and a NUL; 'N' (null); 'I' int64; 'B' 16 bytes; then 'E'. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/ledger/batch.h"

#include <stdlib.h>

struct block {
  struct block *next;
  size_t len, cap;
  char data[];
};

#define BLOCK_SIZE (256 * 1024)

void batch_init(batch *b) {
  memset(b, 0, sizeof *b);
  strmap_init(&b->ids);
}

void batch_clear(batch *b) {
  block *keep = b->head && b->head->cap == BLOCK_SIZE ? b->head : NULL; /* kept for the next batch */
  for (block *k = b->head, *next; k; k = next) {
    next = k->next;
    if (k != keep) free(k);
  }
  b->head = b->tail = keep;
  if (keep) keep->len = 0, keep->next = NULL;
  strmap_free(&b->ids);
  strmap_init(&b->ids);
  b->nids = 0;
  b->rev_n = 0;
  if (b->rev_keys) memset(b->rev_keys, 0, b->rev_cap * sizeof *b->rev_keys);
}

void batch_free(batch *b) {
  batch_clear(b);
  free(b->head);
  free(b->hashes);
  strmap_free(&b->ids);
  free(b->starts);
  free(b->rev_keys);
  free(b->rev_sums);
}

bool batch_empty(const batch *b) { return !b->head || !b->head->len; }

bool batch_row(batch *b, int stmt, int n, const val *v, const char **texts) {
  size_t need = 2;
  for (int i = 0; i < n; i++)
    need += 1 + (v[i].tag == 'T' ? (v[i].s ? 4 + v[i].len + 1 : 0) : v[i].tag == 'I' ? 8 : 16);
  if (!b->tail || b->tail->cap - b->tail->len < need) {
    size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;
    block *k = rt_malloc(sizeof *k + cap);
    if (!k) return false;
    k->next = NULL, k->len = 0, k->cap = cap;
    if (b->tail) b->tail->next = k;
    else b->head = k;
    b->tail = k;
  }
  char *start = b->tail->data + b->tail->len, *p = start;
  *p++ = (char)stmt;
  for (int i = 0; i < n; i++) {
    if (v[i].tag == 'T' && !v[i].s) {
      *p++ = 'N';
      if (texts) texts[i] = NULL;
      continue;
    }
    *p++ = v[i].tag;
    if (v[i].tag == 'T') {
      uint32_t len = (uint32_t)v[i].len;
      memcpy(p, &len, 4);
      p += 4;
      if (texts) texts[i] = p;
      memcpy(p, v[i].s, len);
      p += len;
      *p++ = '\0';
    } else if (v[i].tag == 'I') {
      memcpy(p, &v[i].i, 8);
      p += 8;
    } else {
      if (texts) texts[i] = p;
      memcpy(p, v[i].s, 16);
      p += 16;
    }
  }
  *p++ = 'E';
  b->tail->len += (size_t)(p - start);
  return true;
}

bool batch_next(const batch *b, batch_cursor *c, int *stmt, val *v, int *n) {
  if (!c->k) c->k = b->head, c->off = 0;
  while (c->k && c->off >= c->k->len) c->k = c->k->next, c->off = 0;
  if (!c->k) return false;
  const char *p = c->k->data + c->off;
  *stmt = (unsigned char)*p++;
  int i = 0;
  for (; *p != 'E' && i < BATCH_MAX_VALUES; i++) {
    val x = {*p++, NULL, 0, 0};
    if (x.tag == 'T') {
      uint32_t len;
      memcpy(&len, p, 4);
      x.s = p + 4, x.len = len;
      p += 4 + len + 1;
    } else if (x.tag == 'I') {
      memcpy(&x.i, p, 8);
      p += 8;
    } else if (x.tag == 'B') {
      x.s = p, x.len = 16;
      p += 16;
    }
    v[i] = x;
  }
  *n = i;
  c->off = (size_t)(p + 1 - c->k->data);
  return true;
}

batch_cursor batch_end(const batch *b) { return (batch_cursor){b->tail, b->tail ? b->tail->len : 0}; }

bool batch_remember(batch *b, const char *id, const unsigned char *hash, batch_cursor start) {
  if (b->nids == b->capids) {
    uint32_t cap = b->capids ? 2 * b->capids : 1024;
    const unsigned char **n = rt_realloc(b->hashes, cap * sizeof *n);
    if (n) b->hashes = n;
    batch_cursor *c = n ? rt_realloc(b->starts, cap * sizeof *c) : NULL;
    if (!c) return false;
    b->starts = c, b->capids = cap;
  }
  uint32_t had;
  if (!strmap_put(&b->ids, id, strlen(id), b->nids, &had) && had == UINT32_MAX) return false;
  /* a row added when the tail block was full starts the next block */
  if (start.k && start.off >= start.k->len && start.k->next) start = (batch_cursor){start.k->next, 0};
  if (!start.k) start = (batch_cursor){b->head, 0};
  b->starts[b->nids] = start;
  b->hashes[b->nids++] = hash;
  return true;
}

bool batch_start(const batch *b, const char *id, batch_cursor *at) {
  uint32_t i;
  if (!strmap_get(&b->ids, id, strlen(id), &i)) return false;
  *at = b->starts[i];
  return true;
}

static size_t rev_slot(const int64_t *keys, size_t cap, int64_t seq) {
  size_t i = (size_t)((uint64_t)seq * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
  while (keys[i] && keys[i] != seq) i = (i + 1) & (cap - 1);
  return i;
}

bool batch_reversed_add(batch *b, int64_t seq, int64_t points) {
  if (seq <= 0) return true;
  if ((b->rev_n + 1) * 2 > b->rev_cap) { /* at most half full */
    size_t cap = b->rev_cap ? b->rev_cap * 2 : 1024;
    int64_t *keys = rt_calloc(cap, sizeof *keys), *sums = rt_calloc(cap, sizeof *sums);
    if (!keys || !sums) {
      free(keys);
      free(sums);
      return false;
    }
    for (size_t i = 0; i < b->rev_cap; i++)
      if (b->rev_keys[i]) {
        size_t k = rev_slot(keys, cap, b->rev_keys[i]);
        keys[k] = b->rev_keys[i], sums[k] = b->rev_sums[i];
      }
    free(b->rev_keys);
    free(b->rev_sums);
    b->rev_keys = keys, b->rev_sums = sums, b->rev_cap = cap;
  }
  size_t k = rev_slot(b->rev_keys, b->rev_cap, seq);
  if (!b->rev_keys[k]) b->rev_keys[k] = seq, b->rev_sums[k] = 0, b->rev_n++;
  b->rev_sums[k] += points;
  return true;
}

int64_t batch_reversed(const batch *b, int64_t seq) {
  if (!b->rev_cap || seq <= 0) return 0;
  size_t k = rev_slot(b->rev_keys, b->rev_cap, seq);
  return b->rev_keys[k] ? b->rev_sums[k] : 0;
}

const unsigned char *batch_find(const batch *b, const char *id, size_t len) {
  uint32_t i;
  return strmap_get(&b->ids, id, len, &i) ? b->hashes[i] : NULL;
}

/* The first of the eight words of h's 512-bit block. */
static size_t bloom_block(uint64_t h) { return (size_t)(h % (BLOOM_BITS / 512)) * 8; }

bool bloom_has(const uint64_t *bloom, uint64_t h) {
  const uint64_t *b = bloom + bloom_block(h);
  for (int i = 0; i < 4; i++) {
    unsigned bit = (unsigned)(h >> (28 + 9 * i)) & 511;
    if (!(b[bit / 64] >> (bit % 64) & 1)) return false;
  }
  return true;
}

void bloom_add(uint64_t *bloom, uint64_t h) {
  uint64_t *b = bloom + bloom_block(h);
  for (int i = 0; i < 4; i++) {
    unsigned bit = (unsigned)(h >> (28 + 9 * i)) & 511;
    b[bit / 64] |= (uint64_t)1 << (bit % 64);
  }
}

/* batch.c: rows of a batch of events in memory, and the filter of event ids.
 * A row: its statement (one byte), then values, each a tag byte: 'T' u32
 * length, bytes and a NUL; 'N' (null); 'I' int64; 'B' 16 bytes; then 'E'. */
#include "config.h"
#include "runtime/util.h"
#include "runtime/batch.h"

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
  strmap_init(&b->marks);
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
  strmap_free(&b->marks);
  strmap_init(&b->marks);
  b->nids = 0;
}

void batch_free(batch *b) {
  batch_clear(b);
  free(b->head);
  free(b->hashes);
  strmap_free(&b->ids);
  strmap_free(&b->marks);
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

bool batch_remember(batch *b, const char *id, const unsigned char *hash) {
  if (b->nids == b->capids) {
    uint32_t cap = b->capids ? 2 * b->capids : 1024;
    const unsigned char **n = rt_realloc(b->hashes, cap * sizeof *n);
    if (!n) return false;
    b->hashes = n, b->capids = cap;
  }
  uint32_t had;
  if (!strmap_put(&b->ids, id, strlen(id), b->nids, &had) && had == UINT32_MAX) return false;
  b->hashes[b->nids++] = hash;
  return true;
}

bool batch_mark(batch *b, const char *id) {
  const char *copy;
  uint32_t had;
  if (batch_marked(b, id)) return true;
  val v = VT(id);
  if (!batch_row(b, BATCH_MARK, 1, &v, &copy)) return false;
  return strmap_put(&b->marks, copy, strlen(copy), 1, &had) || had != UINT32_MAX;
}

bool batch_marked(const batch *b, const char *id) {
  uint32_t i;
  return strmap_get(&b->marks, id, strlen(id), &i);
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

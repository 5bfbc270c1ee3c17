/* batch.h: the rows of a batch of events, kept in memory between the thread
 * that applies events and the thread that writes them to the ledger, and
 * the filter of event ids a run has written.
 *
 * Applying events and writing them are two halves of the work, and the
 * machine has more than one core: the applying thread appends the rows of a
 * few thousand events to a batch, then hands the batch to a writer thread,
 * which writes it in one transaction while the next batch fills.  A batch is
 * a chain of blocks holding rows; a row never spans two blocks, so the texts
 * in it stay put and the batch's index of event ids can point into it.
 *
 * Ownership: a batch owns its blocks and index; the values given to
 * batch_row are copied. */
#ifndef INCENT_BATCH_H
#define INCENT_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/base/strmap.h"

typedef struct block block;

typedef struct batch {
  block *head, *tail;
  strmap ids;                   /* event id -> index in hashes */
  const unsigned char **hashes; /* content hash of each event id in the batch */
  uint32_t nids, capids;
  struct batch_cursor *starts;  /* where each event id's rows begin (its entries, then its event row) */
  /* what reversals in the batch took back, per credit entry (open addressing on the seq) */
  int64_t *rev_keys, *rev_sums;
  size_t rev_n, rev_cap;
} batch;

/* One value of a row: 'T' text (s, len; NULL s is SQL NULL), 'I' integer,
 * 'B' a 16-byte blob, 'N' null (as decoded). */
typedef struct val { char tag; const char *s; size_t len; int64_t i; } val;
#define VT(x) ((val){'T', (x), (x) ? strlen(x) : 0, 0})
#define VI(x) ((val){'I', NULL, 0, (x)})
#define VB(x) ((val){'B', (const char *)(x), 16, 0})
#define VN ((val){'T', NULL, 0, 0}) /* SQL NULL */
#define BATCH_MAX_VALUES 16

void batch_init(batch *b);
/* Empties b for reuse, keeping its first block. */
void batch_clear(batch *b);
void batch_free(batch *b);
bool batch_empty(const batch *b);

/* Appends a row of statement stmt with n values (at most BATCH_MAX_VALUES);
 * returns false when out of memory.  texts, when given, receives where each
 * text or blob value was copied (stable until batch_clear). */
bool batch_row(batch *b, int stmt, int n, const val *v, const char **texts);
/* Indexes an event id of the batch with its content hash, both copies
 * inside the batch (from batch_row's texts), and where its rows begin. */
typedef struct batch_cursor { const struct block *k; size_t off; } batch_cursor;
batch_cursor batch_end(const batch *b);
bool batch_remember(batch *b, const char *id, const unsigned char *hash, batch_cursor start);
/* The content hash of id if the batch holds it, else NULL. */
const unsigned char *batch_find(const batch *b, const char *id, size_t len);
/* Where an event's rows begin in the batch: taken before its first row is
 * added (batch_end), given to batch_remember, found by batch_start. */
bool batch_start(const batch *b, const char *id, struct batch_cursor *at);
/* Adds what a reversal in the batch took back from credit entry seq, and
 * reads the sum; false when out of memory. */
bool batch_reversed_add(batch *b, int64_t seq, int64_t points);
int64_t batch_reversed(const batch *b, int64_t seq);

/* Reading the rows back in order: start with a zeroed cursor; each call
 * gives the next row's statement and values (texts point into the batch). */
bool batch_next(const batch *b, batch_cursor *c, int *stmt, val *v, int *n);

/* A blocked Bloom filter of fixed size (4 MiB), keyed by strmap_hash: an id
 * sets four bits in one 512-bit block, so a probe touches one cache line.
 * With a million ids, about one id in 3,000 not added is reported present;
 * with ten million, one in four.  Its size does not grow with events. */
#define BLOOM_BITS (1u << 25)
bool bloom_has(const uint64_t *bloom, uint64_t h);
void bloom_add(uint64_t *bloom, uint64_t h);

#endif

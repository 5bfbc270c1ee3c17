/* chain.h: the tamper evidence of a ledger: the SHA-256 chain of its entries
 * and the digest of its events (internal to libincent; doc/LEDGER.md).
 *
 * Every entry carries chain = SHA-256(the chain of the entry before it, 32
 * zero bytes for the first, then the entry's columns encoded one after the
 * other), so changing, removing or adding an entry breaks the chain from
 * there on.  Events are kept by id, in no order, so they are summed instead:
 * the ledger keeps the sum modulo 2^256 of SHA-256 of each event row, which
 * any order of reading gives again.  Both, with the number of entries and of
 * events, are written to the meta table in the transaction of each batch, so
 * that a removed last entry shows too.  The ledger's writer thread computes
 * them row by row as it writes a batch (chain_row), in the order of seq.
 *
 * A column is encoded as its kind (null, integer, real, text, blob), length
 * and value, which no two different rows share (chain.c): a value of
 * another type than the one written (an integer turned text) differs too.
 * Values are the batch's (runtime/ledger/batch.h): 'T' with a NULL s is a null,
 * and verification adds 'F', a real, its IEEE bits in i. */
#ifndef INCENT_CHAIN_H
#define INCENT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "runtime/ledger/batch.h"

#define CHAIN_SIZE 32

/* The columns of an entry in chain order: seq, event, recipient, rule, raw,
 * multiplier, granted, period, day, status, message, kind, reverses,
 * available, last_valid. */
#define CHAIN_ENTRY_COLUMNS 15
/* The columns of an event: id, hash, type, partner, time, fields, outcome, after, tier. */
#define CHAIN_EVENT_COLUMNS 9

/* What a ledger that is being written keeps of its chain and digest; it is
 * stored in meta (chain_*) at each commit. */
typedef struct chain_state {
  int64_t entries;                  /* entries chained so far (the last seq) */
  unsigned char head[CHAIN_SIZE];   /* the last entry's chain, zeros before the first */
  int64_t events;                   /* event rows summed so far */
  unsigned char sum[CHAIN_SIZE];    /* the sum of their digests, big-endian */
} chain_state;

/* out = SHA-256(prev, the encoding of the n values); out may be prev. */
void chain_link(const unsigned char prev[CHAIN_SIZE], int n, const val *v, unsigned char out[CHAIN_SIZE]);
/* Adds SHA-256 of the encoding of an event row's n values to sum. */
void chain_add_event(unsigned char sum[CHAIN_SIZE], int n, const val *v);
/* Adds a row as it is written, in the order of the ledger: an entry's
 * CHAIN_ENTRY_COLUMNS values (its chain value is then s->head), or an
 * event's CHAIN_EVENT_COLUMNS. */
void chain_row(chain_state *s, bool entry, const val *v);

/* Hex text of 32 bytes (64 digits and a NUL), and back (false unless exactly 64 hex digits). */
void chain_hex(const unsigned char h[CHAIN_SIZE], char out[2 * CHAIN_SIZE + 1]);
bool chain_unhex(const char *text, unsigned char out[CHAIN_SIZE]);

/* Loads into s the chain of the ledger db at path, opened to be written,
 * from the record of its last commit, and checks that its entries still end
 * there (a removed or added last entry would otherwise be chained over). */
bool chain_load(sqlite3 *db, const char *path, chain_state *s, char *why, size_t whylen);

/* The meta keys a commit writes, in the order of chain_meta_values. */
#define CHAIN_META_SQL \
  "INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_entries', ?1), ('chain_head', ?2)," \
  " ('chain_events', ?3), ('chain_event_sum', ?4)"
/* The four values of CHAIN_META_SQL for s, as text. */
void chain_meta_values(const chain_state *s, char text[4][66]);

#endif

/* chain.c: the SHA-256 chain of a ledger's entries and the digest of its events: computed as rows are written, loaded when a ledger opens to be written, and verified read-only by incent_ledger_verify. */
#include "config.h"

#include <nettle/sha2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ledger/chain.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/base/util.h"

/* ---- The encoding ----
 * Encoded into a small buffer and hashed in one call, not a call per
 * column: an entry is a few dozen bytes, and this runs for every one. */

typedef struct sink { struct sha256_ctx c; size_t n; uint8_t buf[512]; } sink;

static void flush(sink *k) {
  sha256_update(&k->c, k->n, k->buf);
  k->n = 0;
}

static void put(sink *k, const void *p, size_t len) {
  if (k->n + len > sizeof k->buf) {
    flush(k);
    if (len > sizeof k->buf) return sha256_update(&k->c, len, p);
  }
  memcpy(k->buf + k->n, p, len);
  k->n += len;
}

/* x in LEB128: seven bits a byte, the low ones first, the high bit set on all but the last. */
static void put_varint(sink *k, uint64_t x) {
  if (x < 128 && k->n < sizeof k->buf) { /* most headers and small numbers: one byte */
    k->buf[k->n++] = (uint8_t)x;
    return;
  }
  uint8_t b[10];
  size_t n = 0;
  do {
    b[n] = (uint8_t)(x & 127);
    x >>= 7;
    if (x) b[n] |= 128;
    n++;
  } while (x);
  put(k, b, n);
}

enum { K_NULL, K_INT, K_REAL, K_TEXT, K_BLOB };

/* Each value: a header varint, length * 8 + kind, then for texts and blobs
 * the bytes, for integers the zigzag varint of the value, for reals the 8
 * bytes of its IEEE bits, low first.  Short enough that an entry with its
 * previous chain fits two SHA-256 blocks. */
static void encode(sink *k, int n, const val *v) {
  for (int i = 0; i < n; i++) {
    char tag = v[i].tag == 'T' && !v[i].s ? 'N' : v[i].tag;
    if (tag == 'T' || tag == 'B') {
      put_varint(k, (uint64_t)v[i].len << 3 | (tag == 'T' ? K_TEXT : K_BLOB));
      put(k, v[i].s, v[i].len);
    } else if (tag == 'I') {
      put_varint(k, K_INT);
      put_varint(k, (uint64_t)v[i].i << 1 ^ (uint64_t)(v[i].i >> 63));
    } else if (tag == 'F') {
      uint8_t b[8];
      for (int j = 0; j < 8; j++) b[j] = (uint8_t)((uint64_t)v[i].i >> (8 * j));
      put_varint(k, K_REAL);
      put(k, b, 8);
    } else {
      put_varint(k, K_NULL);
    }
  }
}

void chain_link(const unsigned char prev[CHAIN_SIZE], int n, const val *v, unsigned char out[CHAIN_SIZE]) {
  sink k;
  sha256_init(&k.c);
  k.n = 0;
  put(&k, prev, CHAIN_SIZE);
  encode(&k, n, v);
  flush(&k);
  sha256_digest(&k.c, CHAIN_SIZE, out);
}

void chain_add_event(unsigned char sum[CHAIN_SIZE], int n, const val *v) {
  sink k;
  unsigned char d[CHAIN_SIZE];
  sha256_init(&k.c);
  k.n = 0;
  encode(&k, n, v);
  flush(&k);
  sha256_digest(&k.c, CHAIN_SIZE, d);
  unsigned carry = 0;
  for (int i = CHAIN_SIZE - 1; i >= 0; i--) {
    carry += (unsigned)sum[i] + d[i];
    sum[i] = (unsigned char)carry;
    carry >>= 8;
  }
}

void chain_row(chain_state *s, bool entry, const val *v) {
  if (entry) {
    chain_link(s->head, CHAIN_ENTRY_COLUMNS, v, s->head);
    s->entries++;
  } else {
    chain_add_event(s->sum, CHAIN_EVENT_COLUMNS, v);
    s->events++;
  }
}

void chain_hex(const unsigned char h[CHAIN_SIZE], char out[2 * CHAIN_SIZE + 1]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < CHAIN_SIZE; i++) out[2 * i] = digits[h[i] >> 4], out[2 * i + 1] = digits[h[i] & 15];
  out[2 * CHAIN_SIZE] = '\0';
}

static int unhex1(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool chain_unhex(const char *text, unsigned char out[CHAIN_SIZE]) {
  if (!text || strlen(text) != 2 * CHAIN_SIZE) return false;
  for (int i = 0; i < CHAIN_SIZE; i++) {
    int hi = unhex1(text[2 * i]), lo = unhex1(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = (unsigned char)(hi << 4 | lo);
  }
  return true;
}

void chain_meta_values(const chain_state *s, char text[4][66]) {
  snprintf(text[0], 66, "%lld", (long long)s->entries);
  chain_hex(s->head, text[1]);
  snprintf(text[2], 66, "%lld", (long long)s->events);
  chain_hex(s->sum, text[3]);
}

/* ---- Reading what the last commit recorded ---- */

/* The chain_* keys of meta into s: 1 when all are there, 0 when none is
 * (a ledger before its first commit: s is all zeros), -1 when some are
 * missing or malformed, -2 when the database cannot be read. */
static int read_record(sqlite3 *db, chain_state *s) {
  static const char *const keys[4] = {"chain_entries", "chain_head", "chain_events", "chain_event_sum"};
  memset(s, 0, sizeof *s);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK) return -2;
  int found = 0, rc = SQLITE_DONE;
  bool ok = true;
  for (int i = 0; i < 4 && rc != SQLITE_ERROR; i++) {
    sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const char *v = (const char *)sqlite3_column_text(st, 0);
      char *end;
      found++;
      if (i == 0 || i == 2) {
        long long x = v ? strtoll(v, &end, 10) : -1;
        if (!v || !*v || *end || x < 0) ok = false;
        else *(i ? &s->events : &s->entries) = x;
      } else if (!chain_unhex(v, i == 1 ? s->head : s->sum)) {
        ok = false;
      }
    } else if (rc != SQLITE_DONE) {
      rc = SQLITE_ERROR;
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_ERROR) return -2;
  if (found == 0) return 0;
  if (found == 4 && ok) return 1;
  memset(s, 0, sizeof *s);
  return -1;
}

bool chain_load(sqlite3 *db, const char *path, chain_state *s, char *why, size_t whylen) {
  int got = read_record(db, s);
  if (got == -2) return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
  /* the last entry: where the chain goes on from, and the end the last commit recorded */
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT seq, chain FROM entries ORDER BY seq DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
  int rc = sqlite3_step(st);
  bool ok = got >= 0;
  if (rc == SQLITE_ROW) {
    ok = ok && sqlite3_column_int64(st, 0) == s->entries && sqlite3_column_bytes(st, 1) == CHAIN_SIZE &&
         memcmp(sqlite3_column_blob(st, 1), s->head, CHAIN_SIZE) == 0;
  } else if (rc == SQLITE_DONE) {
    ok = ok && s->entries == 0;
  } else {
    rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return false;
  }
  sqlite3_finalize(st);
  if (!ok)
    return rt_fail(why, whylen,
                   "the entries of %s do not end where its last commit left them: it was changed outside incent; "
                   "run 'incent verify --ledger %s' to see where",
                   path, path);
  return true;
}

/* ---- Verifying ---- */

/* A column as the chain encodes it: by the type SQLite stored, so that a
 * value of another type (an integer turned text) differs too. */
static val column(sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_INTEGER: return (val){'I', NULL, 0, sqlite3_column_int64(st, i)};
  case SQLITE_FLOAT: {
    double d = sqlite3_column_double(st, i);
    int64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return (val){'F', NULL, 0, bits};
  }
  case SQLITE_TEXT: {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return (val){'T', s ? s : "", (size_t)sqlite3_column_bytes(st, i), 0};
  }
  case SQLITE_BLOB: {
    const char *s = sqlite3_column_blob(st, i);
    return (val){'B', s ? s : "", (size_t)sqlite3_column_bytes(st, i), 0};
  }
  default: return (val){'N', NULL, 0, 0};
  }
}

static bool found(incent_verdict *out, incent_tamper what, long long seq) {
  out->what = what;
  out->seq = seq;
  return true;
}

/* Walks the entries in seq order, each linked from the chain value stored
 * in the one before: a row whose columns changed disagrees alone, a row whose
 * chain value changed disagrees and so does the next.  Stops at the first
 * disagreement; false when the database cannot be read. */
static bool verify_entries(sqlite3 *db, const chain_state *rec, incent_verdict *out, char *why, size_t whylen) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db,
                         "SELECT seq, event, recipient, rule, raw, multiplier, granted, period, day, status, message, kind, reverses,"
                         " available, last_valid, chain"
                         " FROM entries ORDER BY seq",
                         -1, &st, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
  unsigned char prev[CHAIN_SIZE] = {0}, bad_r[CHAIN_SIZE];
  long long expect = 1, bad = 0; /* bad: an entry that disagreed alone so far, waiting for the next */
  int rc = SQLITE_DONE;
  while (out->what == INCENT_INTACT && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    val v[CHAIN_ENTRY_COLUMNS];
    for (int i = 0; i < CHAIN_ENTRY_COLUMNS; i++) v[i] = column(st, i);
    long long seq = sqlite3_column_int64(st, 0);
    unsigned char c[CHAIN_SIZE], r[CHAIN_SIZE];
    bool has_c = sqlite3_column_type(st, CHAIN_ENTRY_COLUMNS) == SQLITE_BLOB &&
                 sqlite3_column_bytes(st, CHAIN_ENTRY_COLUMNS) == CHAIN_SIZE;
    if (has_c) memcpy(c, sqlite3_column_blob(st, CHAIN_ENTRY_COLUMNS), CHAIN_SIZE);
    else memset(c, 0, CHAIN_SIZE);
    chain_link(prev, CHAIN_ENTRY_COLUMNS, v, r);
    if (bad) {
      /* the entry before disagreed: if this one follows from what the
       * entry before hashes to, only its chain value was changed */
      unsigned char from_r[CHAIN_SIZE];
      chain_link(bad_r, CHAIN_ENTRY_COLUMNS, v, from_r);
      found(out, has_c && memcmp(c, from_r, CHAIN_SIZE) == 0 ? INCENT_CHAIN_BROKEN : INCENT_CONTENT_CHANGED, bad);
      break;
    }
    out->entries++;
    if (seq < expect) found(out, INCENT_ROW_INSERTED, seq); /* before the first */
    else if (seq > expect && expect <= rec->entries) found(out, INCENT_ROW_MISSING, expect);
    else if (seq > rec->entries) found(out, INCENT_ROW_INSERTED, seq); /* after the last the commit recorded */
    else if (!has_c || memcmp(c, r, CHAIN_SIZE) != 0) bad = seq, memcpy(bad_r, r, CHAIN_SIZE);
    memcpy(prev, c, CHAIN_SIZE);
    expect = seq + 1;
  }
  if (out->what == INCENT_INTACT && rc != SQLITE_DONE) {
    rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return false;
  }
  sqlite3_finalize(st);
  if (out->what != INCENT_INTACT) return true;
  if (bad) /* the last entry disagreed: its chain value alone changed if its content hashes to the head recorded */
    return found(out, memcmp(bad_r, rec->head, CHAIN_SIZE) == 0 ? INCENT_CHAIN_BROKEN : INCENT_CONTENT_CHANGED, bad);
  if (expect - 1 < rec->entries) return found(out, INCENT_ROW_MISSING, expect); /* the tail */
  chain_hex(prev, out->head);
  if (memcmp(prev, rec->head, CHAIN_SIZE) != 0) return found(out, INCENT_CHAIN_BROKEN, expect - 1);
  return true;
}

static bool verify_events(sqlite3 *db, const chain_state *rec, incent_verdict *out, char *why, size_t whylen) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT id, hash, type, partner, time, fields, outcome, after, tier FROM events", -1, &st,
                         NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
  unsigned char sum[CHAIN_SIZE] = {0};
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    val v[CHAIN_EVENT_COLUMNS];
    for (int i = 0; i < CHAIN_EVENT_COLUMNS; i++) v[i] = column(st, i);
    chain_add_event(sum, CHAIN_EVENT_COLUMNS, v);
    out->events++;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
  if (out->events != rec->events || memcmp(sum, rec->sum, CHAIN_SIZE) != 0) found(out, INCENT_EVENTS_CHANGED, 0);
  return true;
}

incent_status incent_ledger_verify(const char *path, incent_verdict *out, char *why, size_t whylen) {
  memset(out, 0, sizeof *out);
  sqlite3 *db = NULL;
  /* read-only, and no journal or schema of its own: verifying writes nothing */
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    rt_fail(why, whylen, "cannot open ledger %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return db ? INCENT_EFORMAT : INCENT_ENOMEM;
  }
  incent_status st = INCENT_EFORMAT;
  chain_state rec;
  char schema[16] = "";
  sqlite3_stmt *s;
  /* one read transaction: the record and the rows of one commit */
  if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &s, NULL) != SQLITE_OK) {
    rt_fail(why, whylen, "%s is not an incent ledger (%s)", path, sqlite3_errmsg(db));
    goto done;
  }
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
    snprintf(schema, sizeof schema, "%s", (const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  if (!schema[0]) {
    rt_fail(why, whylen, "%s is not an incent ledger (its meta table names no schema)", path);
    goto done;
  }
  if (strcmp(schema, LEDGER_SCHEMA) != 0) {
    rt_fail(why, whylen, "%s is a ledger of schema %s, which has no chain to verify; this incent reads schema %s", path,
            schema, LEDGER_SCHEMA);
    goto done;
  }
  int got = read_record(db, &rec);
  if (got == -2) {
    rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
    goto done;
  }
  if (got == 0 && sqlite3_prepare_v2(db, "SELECT EXISTS (SELECT 1 FROM entries) OR EXISTS (SELECT 1 FROM events)", -1,
                                     &s, NULL) == SQLITE_OK) {
    if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0)) got = -1; /* rows, but no record of them */
    sqlite3_finalize(s);
  }
  if (got < 0) {
    found(out, INCENT_RECORD_CHANGED, 0);
    st = INCENT_OK;
    goto done;
  }
  if (verify_entries(db, &rec, out, why, whylen) && (out->what != INCENT_INTACT || verify_events(db, &rec, out, why, whylen)))
    st = INCENT_OK;
  out->recorded_entries = rec.entries;
  out->recorded_events = rec.events;
done:
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(db);
  if (st == INCENT_OK && out->what == INCENT_INTACT) st = rt_ledger_verify_state(path, out, why, whylen);
  return st;
}
